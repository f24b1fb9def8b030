# Stand-in for eclipse-temurin:17-jdk and node:20 (ComposeStackIT): Debian's OpenJDK 17 JDK and Node.js, and npm from
# its own npm package (packed on the host with `npm pack` into this build's context: Debian's npm package would pull in
# some 300 node-* packages and a minute of apt).
ARG BASE
FROM ${BASE}
# npm trusts the system's certificates too (the base carries the host's, see PodmanHost)
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jdk-headless nodejs \
 && rm -rf /var/lib/apt/lists/*
COPY npm-*.tgz /tmp/
RUN mkdir -p /opt/npm \
 && tar -xzf /tmp/npm-*.tgz -C /opt/npm --strip-components=1 \
 && rm /tmp/npm-*.tgz \
 && printf '#!/bin/sh\nexec node /opt/npm/bin/npm-cli.js "$@"\n' > /usr/local/bin/npm \
 && chmod +x /usr/local/bin/npm
