// Preloaded (node -r) into every emulator the local AWS stack starts.
// 1. Binds every server socket to LOCAL_AWS_BIND_HOST (127.0.0.1): kinesis-local listens on 0.0.0.0 by design.
// 2. Exits when the JVM that started the emulator is gone: its stdin pipe closes, or its pid disappears,
//    so no emulator outlives a killed test run or run-local.
'use strict';
const net = require('net');
const host = process.env.LOCAL_AWS_BIND_HOST || '127.0.0.1';
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const first = args[0];
  if (first !== null && typeof first === 'object' && !Array.isArray(first) && 'port' in first) {
    args[0] = Object.assign({}, first, { host });
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof args[1] === 'string') {
      args[1] = host;
    } else {
      args.splice(1, 0, host);
    }
  }
  return listen.apply(this, args);
};

const parentPid = Number(process.env.LOCAL_AWS_PARENT_PID || 0);
// kinesis-local replaces process.exit with a graceful shutdown that can hang once its parent is gone, so the guard
// ends the process with a signal instead. The emulators keep nothing worth saving.
const quit = () => process.kill(process.pid, 'SIGKILL');
process.stdin.on('end', quit);
process.stdin.on('close', quit);
process.stdin.on('error', quit);
process.stdin.resume();
if (parentPid > 0) {
  setInterval(() => {
    try {
      process.kill(parentPid, 0);
    } catch (e) {
      quit();
    }
  }, 1000).unref();
}
