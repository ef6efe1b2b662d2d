package io.wmstream.schemas.event;

/**
 * Size limits applied to input events. Text and metadata sizes are counted in UTF-8 bytes (metadata as its
 * canonical JSON); identifiers in Unicode code points.
 */
public record EventLimits(int maxRecordBytes, int maxTextBytes, int maxMetadataBytes, int maxIdLength,
        int maxSpeakerLength) {
    /** The defaults of DESIGN 4.2: 8 KiB of text, 2 KiB of metadata, ids up to 200 characters. */
    public static final EventLimits DEFAULTS = new EventLimits(64 * 1024, 8 * 1024, 2 * 1024, 200, 64);

    public EventLimits {
        if (maxRecordBytes < 1 || maxTextBytes < 1 || maxMetadataBytes < 2 || maxIdLength < 1
                || maxSpeakerLength < 1) {
            throw new IllegalArgumentException("event limits must be positive: " + this);
        }
    }

    /** The same limits with another text limit. */
    public EventLimits withMaxTextBytes(int bytes) {
        return new EventLimits(Math.max(maxRecordBytes, bytes + maxMetadataBytes + 1024), bytes, maxMetadataBytes,
                maxIdLength, maxSpeakerLength);
    }
}
