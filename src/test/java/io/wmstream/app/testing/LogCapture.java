package io.wmstream.app.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Every log event of this JVM while it is open, as text with its stack trace, with chosen loggers turned up
 * (e.g. Kafka to INFO, where clients dump their configuration); the levels are put back on close.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final List<String> lines = new ArrayList<>();
    private final Map<Logger, Level> previous = new LinkedHashMap<>();
    private final Logger root;

    private LogCapture(Map<String, Level> levels) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        setContext(context);
        setName("log-capture");
        levels.forEach((name, level) -> {
            Logger logger = context.getLogger(name);
            previous.put(logger, logger.getLevel());
            logger.setLevel(level);
        });
        root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        start();
        root.addAppender(this);
    }

    /** Starts capturing, with {@code levels} (logger name to level) in force until closed. */
    public static LogCapture start(Map<String, Level> levels) {
        return new LogCapture(levels);
    }

    @Override
    protected synchronized void append(ILoggingEvent event) {
        String text = event.getLoggerName() + " " + event.getLevel() + " " + event.getFormattedMessage();
        if (event.getThrowableProxy() != null) {
            text += "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy());
        }
        lines.add(text);
    }

    /** What was logged so far. */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        root.detachAppender(this);
        stop();
        previous.forEach(Logger::setLevel);
    }
}
