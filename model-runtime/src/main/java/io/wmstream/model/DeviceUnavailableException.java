package io.wmstream.model;

/** A strict {@code cuda} / {@code cuda:N} device was asked for and cannot be had; the message says why. */
public class DeviceUnavailableException extends RuntimeException {
    public DeviceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
