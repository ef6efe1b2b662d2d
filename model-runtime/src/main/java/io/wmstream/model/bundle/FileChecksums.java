package io.wmstream.model.bundle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A bundle file against its manifest entry: size, then sha256. */
final class FileChecksums {
    private FileChecksums() {
    }

    /** Refuses the bundle when {@code content} is not the file the manifest describes. */
    static void verify(String source, String name, byte[] content, BundleManifest.FileEntry expected) {
        if (expected.bytes() >= 0 && content.length != expected.bytes()) {
            throw new InvalidBundleException(source, name + " has " + content.length + " bytes but "
                    + ModelBundle.MANIFEST + " says " + expected.bytes());
        }
        String actual = sha256(content);
        if (!actual.equalsIgnoreCase(expected.sha256())) {
            throw new InvalidBundleException(source, name + " has sha256 " + actual + " but " + ModelBundle.MANIFEST
                    + " says " + expected.sha256());
        }
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
