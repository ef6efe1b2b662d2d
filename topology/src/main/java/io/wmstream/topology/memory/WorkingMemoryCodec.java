package io.wmstream.topology.memory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stored form of {@link WorkingMemory}: a compact, versioned binary layout. It starts with the model stamp
 * so a reader can tell, before touching the state, whether the memory belongs to the model it runs.
 *
 * <pre>
 * "WM" format(3) | model name, version (UTF) | layers, hidden (int) | has-state (bool) [state floats]
 * | utterances (int) | lastTurn, lastActivityMs (long) | eventIds (short n, UTF...) | recent turns | salient turns
 * | facts (short n, fact...) | agreed (short n, entry...) | offers (short n, entry...)
 * | open requests (short n, UTF...)
 * turn := turn (long) | speaker (UTF) | text (UTF) | salience (double) | tagged (bool) [short n, (UTF word, float)...]
 * fact := type (UTF) | value (UTF) | turn (long)
 * entry := slot (UTF) | value (UTF) | turn (long)
 * </pre>
 *
 * <p>Format 2, written before the dialogue state was tracked, is read too: its dialogue state is empty. Format 1,
 * written before facts were tracked, too: its turns are untagged and it tracks no facts.
 */
public final class WorkingMemoryCodec {
    private static final byte MAGIC_0 = 'W';
    private static final byte MAGIC_1 = 'M';
    private static final byte FORMAT = 3;
    private static final byte FORMAT_WITHOUT_STATE = 2;
    private static final byte FORMAT_WITHOUT_FACTS = 1;

    private WorkingMemoryCodec() {
    }

    public static byte[] encode(WorkingMemory memory) {
        var bytes = new ByteArrayOutputStream(256 + (memory.state() == null ? 0 : memory.state().length * 4));
        try (var out = new DataOutputStream(bytes)) {
            out.writeByte(MAGIC_0);
            out.writeByte(MAGIC_1);
            out.writeByte(FORMAT);
            ModelStamp model = memory.model();
            out.writeUTF(model.name());
            out.writeUTF(model.version());
            out.writeInt(model.layers());
            out.writeInt(model.hiddenSize());
            out.writeBoolean(memory.state() != null);
            if (memory.state() != null) {
                // The bytes of writeFloat (floatToIntBits, big-endian), written at once.
                ByteBuffer raw = ByteBuffer.allocate(Float.BYTES * memory.state().length);
                for (float f : memory.state()) {
                    raw.putInt(Float.floatToIntBits(f));
                }
                out.write(raw.array());
            }
            out.writeInt(memory.utterances());
            out.writeLong(memory.lastTurn());
            out.writeLong(memory.lastActivityMs());
            out.writeShort(memory.recentEventIds().size());
            for (String id : memory.recentEventIds()) {
                out.writeUTF(id);
            }
            writeTurns(out, memory.recentTurns());
            writeTurns(out, memory.salientTurns());
            out.writeShort(memory.facts().size());
            for (TrackedFact fact : memory.facts()) {
                out.writeUTF(fact.type());
                out.writeUTF(fact.value());
                out.writeLong(fact.turn());
            }
            writeEntries(out, memory.dialogue().agreed());
            writeEntries(out, memory.dialogue().offers());
            out.writeShort(memory.dialogue().openRequests().size());
            for (String request : memory.dialogue().openRequests()) {
                out.writeUTF(request);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads only the model stamp, to check compatibility without decoding the rest. */
    public static ModelStamp readModel(byte[] bytes) {
        try (var in = open(bytes)) {
            return readStamp(in);
        } catch (IOException e) {
            throw new CorruptMemoryException("stored memory is unreadable: " + e.getMessage());
        }
    }

    /**
     * Reads only the time of the memory's latest activity, skipping its state and turns: the idle scan looks at
     * every stored memory and decodes only those it expires.
     */
    public static long readLastActivityMs(byte[] bytes) {
        try (var in = open(bytes)) {
            ModelStamp model = readStamp(in);
            if (in.readBoolean()) {
                long stateBytes = 4L * model.stateSize();
                if (stateBytes < 0 || in.skip(stateBytes) != stateBytes) {
                    throw new CorruptMemoryException("stored memory ends inside its state");
                }
            }
            in.readInt();
            in.readLong();
            return in.readLong();
        } catch (IOException | IllegalArgumentException e) {
            throw new CorruptMemoryException("stored memory is unreadable: " + e.getMessage());
        }
    }

    public static WorkingMemory decode(byte[] bytes) {
        try (var in = open(bytes)) {
            boolean withFacts = bytes[2] != FORMAT_WITHOUT_FACTS;
            boolean withState = bytes[2] == FORMAT;
            ModelStamp model = readStamp(in);
            float[] state = null;
            if (in.readBoolean()) {
                // In one read: float by float, DataInputStream reads the state a byte at a time, and every event
                // decodes a memory twice (its request, then its run; a JFR profile found it).
                byte[] raw = new byte[Float.BYTES * model.stateSize()];
                in.readFully(raw);
                state = new float[model.stateSize()];
                ByteBuffer.wrap(raw).asFloatBuffer().get(state);
            }
            int utterances = in.readInt();
            long lastTurn = in.readLong();
            long lastActivity = in.readLong();
            int ids = in.readUnsignedShort();
            List<String> eventIds = new ArrayList<>(ids);
            for (int i = 0; i < ids; i++) {
                eventIds.add(in.readUTF());
            }
            List<RememberedTurn> recent = readTurns(in, withFacts);
            List<RememberedTurn> salient = readTurns(in, withFacts);
            List<TrackedFact> facts = new ArrayList<>();
            if (withFacts) {
                int n = in.readUnsignedShort();
                for (int i = 0; i < n; i++) {
                    facts.add(new TrackedFact(in.readUTF(), in.readUTF(), in.readLong()));
                }
            }
            DialogueState dialogue = DialogueState.EMPTY;
            if (withState) {
                List<StateEntry> agreed = readEntries(in);
                List<StateEntry> offers = readEntries(in);
                int n = in.readUnsignedShort();
                List<String> requests = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    requests.add(in.readUTF());
                }
                dialogue = new DialogueState(agreed, offers, requests);
            }
            if (in.available() != 0) {
                throw new CorruptMemoryException("stored memory has " + in.available() + " trailing bytes");
            }
            return new WorkingMemory(model, state, utterances, lastTurn, lastActivity, eventIds, recent, salient,
                    facts, dialogue);
        } catch (IOException | IllegalArgumentException e) {
            throw new CorruptMemoryException("stored memory is unreadable: " + e.getMessage());
        }
    }

    /**
     * The most bytes one conversation's memory can take under {@code limits} and a model of {@code stateSize}
     * floats, counting every string at its worst case of 3 UTF-8 bytes per character.
     */
    public static long maxBytes(MemoryLimits limits, int stateSize, int modelNameAndVersionChars) {
        long header = 3 + 2 + 2 + 3L * modelNameAndVersionChars + 4 + 4 + 1;
        long state = 4L * stateSize;
        long counters = 4 + 8 + 8;
        long ids = 2 + (long) limits.eventIds() * (2 + 3L * MemoryLimits.EVENT_ID_MAX_CHARS);
        // A fact weight's word is a piece of the turn's text: at most the text's bytes in all, plus 2 + 4 each.
        long weights = 1 + 2 + (2 + 4L) * MemoryLimits.FACT_WEIGHTS_PER_TURN + 3L * limits.turnMaxChars();
        long turn = 8 + 2 + 3L * MemoryLimits.SPEAKER_MAX_CHARS + 2 + 3L * limits.turnMaxChars() + 8 + weights;
        long turns = 2 + limits.recentTurns() * turn + 2 + limits.salientTurns() * turn;
        long fact = 2 + 3L * MemoryLimits.FACT_TYPE_MAX_CHARS + 2 + 3L * MemoryLimits.FACT_VALUE_MAX_CHARS + 8;
        long facts = 2 + limits.facts() * fact;
        long entry = 2 + 3L * 2 * MemoryLimits.FACT_TYPE_MAX_CHARS + 2 + 3L * MemoryLimits.FACT_VALUE_MAX_CHARS + 8;
        long dialogue = 2 + MemoryLimits.STATE_SLOTS * entry + 2 + MemoryLimits.STATE_OFFERS * entry
                + 2 + MemoryLimits.STATE_REQUESTS * (2 + 3L * MemoryLimits.FACT_TYPE_MAX_CHARS);
        return header + state + counters + ids + turns + facts + dialogue;
    }

    private static DataInputStream open(byte[] bytes) throws IOException {
        var in = new DataInputStream(new ByteArrayInputStream(bytes));
        if (bytes.length < 3 || in.readByte() != MAGIC_0 || in.readByte() != MAGIC_1) {
            throw new CorruptMemoryException("stored memory does not start with the WM marker");
        }
        byte format = in.readByte();
        if (format != FORMAT && format != FORMAT_WITHOUT_STATE && format != FORMAT_WITHOUT_FACTS) {
            throw new CorruptMemoryException("stored memory has format " + format + ", this version reads "
                    + FORMAT_WITHOUT_FACTS + " to " + FORMAT);
        }
        return in;
    }

    private static ModelStamp readStamp(DataInputStream in) throws IOException {
        return new ModelStamp(in.readUTF(), in.readUTF(), in.readInt(), in.readInt());
    }

    private static void writeEntries(DataOutputStream out, List<StateEntry> entries) throws IOException {
        out.writeShort(entries.size());
        for (StateEntry entry : entries) {
            out.writeUTF(entry.slot());
            out.writeUTF(entry.value());
            out.writeLong(entry.turn());
        }
    }

    private static List<StateEntry> readEntries(DataInputStream in) throws IOException {
        int n = in.readUnsignedShort();
        List<StateEntry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            entries.add(new StateEntry(in.readUTF(), in.readUTF(), in.readLong()));
        }
        return entries;
    }

    private static void writeTurns(DataOutputStream out, List<RememberedTurn> turns) throws IOException {
        out.writeShort(turns.size());
        for (RememberedTurn turn : turns) {
            out.writeLong(turn.turn());
            out.writeUTF(turn.speaker());
            out.writeUTF(turn.text());
            out.writeDouble(turn.salience());
            out.writeBoolean(turn.tagged());
            if (turn.tagged()) {
                out.writeShort(turn.factWeights().size());
                for (Map.Entry<String, Float> weight : turn.factWeights().entrySet()) {
                    out.writeUTF(weight.getKey());
                    out.writeFloat(weight.getValue());
                }
            }
        }
    }

    private static List<RememberedTurn> readTurns(DataInputStream in, boolean withWeights) throws IOException {
        int n = in.readUnsignedShort();
        List<RememberedTurn> turns = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long turn = in.readLong();
            String speaker = in.readUTF();
            String text = in.readUTF();
            double salience = in.readDouble();
            Map<String, Float> weights = null;
            if (withWeights && in.readBoolean()) {
                int count = in.readUnsignedShort();
                weights = new TreeMap<>();
                for (int k = 0; k < count; k++) {
                    weights.put(in.readUTF(), in.readFloat());
                }
            }
            turns.add(new RememberedTurn(turn, speaker, text, salience, weights));
        }
        return turns;
    }
}
