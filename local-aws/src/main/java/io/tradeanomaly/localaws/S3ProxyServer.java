package io.tradeanomaly.localaws;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * s3proxy in this JVM, path-style, SigV4 with the local credentials. With a data folder the objects are plain files
 * under it ({@code <dir>/<bucket>/<key>}), so the archive can be browsed with a file manager. It can be stopped and
 * started again on the same port and store, to play "S3 unavailable".
 */
final class S3ProxyServer implements AutoCloseable {

    private final String bindHost;
    private final int port;
    private final BlobStore store;
    private S3Proxy proxy;

    S3ProxyServer(String bindHost, int port, Path dataDir) throws Exception {
        this.bindHost = bindHost;
        this.port = port;
        if (dataDir == null) {
            this.store = new TransientNio2BlobStore();
        } else {
            Files.createDirectories(dataDir);
            this.store = new FilesystemNio2BlobStore(dataDir.toAbsolutePath().toString());
        }
        start();
    }

    synchronized void start() throws Exception {
        if (proxy != null) {
            return;
        }
        S3Proxy created = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://" + bindHost + ":" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, LocalAwsStack.ACCESS_KEY, LocalAwsStack.SECRET_KEY)
                .build();
        created.start();
        while (!"STARTED".equals(created.getState())) {
            Thread.onSpinWait();
        }
        proxy = created;
    }

    synchronized void stop() throws Exception {
        if (proxy != null) {
            proxy.stop();
            proxy = null;
        }
    }

    synchronized boolean isRunning() {
        return proxy != null;
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
