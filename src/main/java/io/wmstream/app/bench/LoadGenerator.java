package io.wmstream.app.bench;

import io.wmstream.model.bench.SampleUtterances;
import io.wmstream.schemas.event.ConversationEvent;
import io.wmstream.schemas.event.EventLimits;
import io.wmstream.schemas.output.Reply;
import io.wmstream.schemas.serde.WmSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Users of one pipeline: sends user turns to its input topic and watches its replies topic with a read_committed
 * consumer, so a reply counts when it is visible to a reader of committed data. Latency runs from the broker's
 * acknowledgement of the turn's append to the reply's arrival at that consumer.
 *
 * <p>Closed loop ({@link #closedLoop}): each user sends a conversation's next turn a think time after the previous
 * reply arrived. Open loop ({@link #openLoop}): turns go out at a fixed rate whatever the replies do, so a slow
 * pipeline shows up as latency instead of as fewer requests.
 */
final class LoadGenerator implements AutoCloseable {
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
    /** Longest the first round of a closed loop may take before its span starts anyway. */
    private static final Duration FIRST_ROUND_TIMEOUT = Duration.ofMinutes(2);

    private final String eventsTopic;
    private final KafkaProducer<String, ConversationEvent> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<Reply> replies = WmSerdes.replies().deserializer();
    private final List<String[]> utterances = SampleUtterances.generate(2048, 16);
    private final Map<String, Conversation> conversations = new ConcurrentHashMap<>();
    private final Map<String, Outstanding> outstanding = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thinking = Executors.newSingleThreadScheduledExecutor(
            runnable -> daemon(runnable, "bench-think"));
    private final Thread watcher;
    private final Random random = new Random(16);
    private volatile MeasuredWindow window;
    private volatile boolean closed;

    LoadGenerator(Properties clients, String eventsTopic, String repliesTopic) {
        this.eventsTopic = eventsTopic;
        Properties producing = new Properties();
        producing.putAll(clients);
        producing.put(ProducerConfig.ACKS_CONFIG, "all");
        producing.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producing.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        producing.put(ProducerConfig.CLIENT_ID_CONFIG, "wmstream-bench-users");
        // The input topic's own serdes: keys are conversation ids in UTF-8, values the events' canonical JSON.
        this.producer = new KafkaProducer<>(producing, new StringSerializer(),
                WmSerdes.events(EventLimits.DEFAULTS).serializer());
        Properties consuming = new Properties();
        consuming.putAll(clients);
        consuming.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consuming.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consuming.put(ConsumerConfig.CLIENT_ID_CONFIG, "wmstream-bench-replies");
        this.consumer = new KafkaConsumer<>(consuming, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(repliesTopic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        partitions.forEach(consumer::position);
        this.watcher = daemon(this::watchReplies, "bench-replies");
        watcher.start();
    }

    /**
     * What one measured window saw: {@code replies} arrived in its span of {@code seconds}, {@code offered} turns were
     * sent in it; {@code answered} counts every reply of the phase (warm-up, span and drain), the denominator of
     * CPU per reply, whose CPU is measured over the whole phase too.
     */
    record Measured(int replies, double seconds, Latencies latencies, long replyTokens, int unanswered, int offered,
            int answered) {
        double perSecond() {
            return replies / seconds;
        }

        /** Turns sent per second of the span: the load the pipeline was offered, as the generator achieved it. */
        double offeredPerSecond() {
            return offered / seconds;
        }

        double tokensPerReply() {
            return replies == 0 ? 0 : (double) replyTokens / replies;
        }
    }

    /**
     * {@code users} users, each owning one conversation at a time from {@code ids} (taken at random among those not
     * in flight), sending its next turn {@code thinkMs} after the previous reply; measures after {@code warmUp}.
     */
    Measured closedLoop(List<String> ids, int users, long thinkMs, Duration warmUp, Duration measure)
            throws InterruptedException {
        if (users > ids.size()) {
            throw new IllegalArgumentException(users + " users need at least as many conversations, got " + ids.size());
        }
        IdlePool idle = new IdlePool(ids);
        long started = System.nanoTime();
        // The span is fixed once the first round is in: until then it lies in the future and nothing counts.
        MeasuredWindow w = new MeasuredWindow(Long.MAX_VALUE, Long.MAX_VALUE);
        window = w;
        for (int u = 0; u < users; u++) {
            sendClosed(w, idle, thinkMs);
        }
        awaitFirstRound(w, users);
        w.startAt(Math.max(System.nanoTime(), started + warmUp.toNanos()), measure);
        return finish(w);
    }

    private void sendClosed(MeasuredWindow w, IdlePool idle, long thinkMs) {
        if (!w.sending()) {
            return;
        }
        String id = idle.take();
        send(w, id, () -> {
            idle.put(id);
            if (thinkMs <= 0) {
                sendClosed(w, idle, thinkMs);
            } else {
                thinking.schedule(() -> sendClosed(w, idle, thinkMs), thinkMs, TimeUnit.MILLISECONDS);
            }
        });
    }

    /**
     * Waits until every user has had a reply: a closed loop starts with all its users' first turns at once, and a
     * span that began before that first round trip ended would measure the start-up, not the loop.
     */
    private static void awaitFirstRound(MeasuredWindow w, int users) throws InterruptedException {
        long until = System.nanoTime() + FIRST_ROUND_TIMEOUT.toNanos();
        while (w.answered() < users && System.nanoTime() < until) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /**
     * Turns at {@code perSecond} over {@code ids} (each time a conversation picked at random), for {@code warmUp} and
     * then {@code measure}.
     */
    Measured openLoop(List<String> ids, double perSecond, Duration warmUp, Duration measure)
            throws InterruptedException {
        MeasuredWindow w = open(warmUp, measure);
        long start = System.nanoTime();
        long interval = (long) (1e9 / perSecond);
        Runnable nothing = () -> { };
        for (long i = 0; w.sending(); i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            String id;
            synchronized (random) {
                id = ids.get(random.nextInt(ids.size()));
            }
            send(w, id, nothing);
        }
        return finish(w);
    }

    /**
     * One first turn by speaker {@code system} (which gets no reply) for each of {@code ids}, so each holds a memory;
     * returns once every turn is acknowledged.
     */
    void greet(List<String> ids) {
        for (String id : ids) {
            Conversation conversation = conversation(id);
            long turn = conversation.nextTurn();
            producer.send(record(id, turn, "system", "Hello, this is the booking service. How can I help you?"));
        }
        producer.flush();
    }

    private MeasuredWindow open(Duration warmUp, Duration measure) {
        long now = System.nanoTime();
        MeasuredWindow w = new MeasuredWindow(now + warmUp.toNanos(), now + warmUp.toNanos() + measure.toNanos());
        window = w;
        return w;
    }

    /** Waits for the window's end, then for the replies still due, so the next window starts with none in flight. */
    private Measured finish(MeasuredWindow w) throws InterruptedException {
        long left = w.endNanos() - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
        w.stopSending();
        long until = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (!outstanding.isEmpty() && System.nanoTime() < until) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        int unanswered = outstanding.size();
        outstanding.clear();
        return w.measured(unanswered);
    }

    private void send(MeasuredWindow w, String id, Runnable onReply) {
        Conversation conversation = conversation(id);
        long turn = conversation.nextTurn();
        Outstanding pending = new Outstanding(w, onReply, System.nanoTime());
        outstanding.put(key(id, turn), pending);
        w.sent(pending.sentNanos);
        String[] utterance = utterances.get((int) ((turn / 2 + conversation.offset) % utterances.size()));
        producer.send(record(id, turn, "user", utterance[1]), (metadata, error) -> {
            if (error == null) {
                pending.appendedNanos = System.nanoTime();
            }
        });
    }

    private ProducerRecord<String, ConversationEvent> record(String id, long turn, String speaker, String text) {
        return new ProducerRecord<>(eventsTopic, id, ConversationEvent.utterance(id, turn, speaker, text));
    }

    private Conversation conversation(String id) {
        return conversations.computeIfAbsent(id, k -> new Conversation(Math.floorMod(k.hashCode(), 997)));
    }

    private void watchReplies() {
        while (!closed) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                long now = System.nanoTime();
                Reply reply = replies.deserialize(record.topic(), record.value());
                Long turn = reply.inReplyTo().turn();
                Outstanding pending = turn == null ? null : outstanding.remove(key(reply.conversationId(), turn));
                if (pending != null) {
                    long from = pending.appendedNanos != 0 ? pending.appendedNanos : pending.sentNanos;
                    pending.window.record(now, pending.sentNanos, now - from, reply.tokens());
                    pending.onReply.run();
                }
            }
        }
    }

    private static String key(String id, long turn) {
        return id + '#' + turn;
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    @Override
    public void close() {
        closed = true;
        thinking.shutdownNow();
        try {
            watcher.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        producer.close(Duration.ofSeconds(5));
    }

    /** A conversation's next user turn (user turns even after a greeting's turn 0 too: replies take the odd ones). */
    private static final class Conversation {
        private final int offset;
        private long next;

        Conversation(int offset) {
            this.offset = offset;
        }

        synchronized long nextTurn() {
            long turn = next;
            next += 2;
            return turn;
        }
    }

    /** A turn sent and not answered yet. */
    private static final class Outstanding {
        private final MeasuredWindow window;
        private final Runnable onReply;
        private final long sentNanos;
        private volatile long appendedNanos;

        Outstanding(MeasuredWindow window, Runnable onReply, long sentNanos) {
            this.window = window;
            this.onReply = onReply;
            this.sentNanos = sentNanos;
        }
    }

    /** The conversations of a closed loop that no user holds now. */
    private final class IdlePool {
        private final List<String> idle;

        IdlePool(List<String> ids) {
            this.idle = new ArrayList<>(ids);
        }

        synchronized String take() {
            int at = random.nextInt(idle.size());
            String id = idle.get(at);
            idle.set(at, idle.get(idle.size() - 1));
            idle.remove(idle.size() - 1);
            return id;
        }

        synchronized void put(String id) {
            idle.add(id);
        }
    }
}
