package io.wmstream.app.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** The TLS context of the HTTP server, from a keystore holding its key and certificate chain. */
public final class HttpTls {
    private HttpTls() {
    }

    /**
     * Loads {@code keystore} ({@code type} PKCS12 or JKS); {@code password} opens the store and its key.
     *
     * @throws IOException when the file cannot be read or the password is wrong (the message never holds it)
     */
    public static SSLContext fromKeystore(Path keystore, char[] password, String type)
            throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, password);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }
}
