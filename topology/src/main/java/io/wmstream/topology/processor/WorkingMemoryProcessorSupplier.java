package io.wmstream.topology.processor;

import io.wmstream.topology.ingest.ParsedEvents;
import io.wmstream.model.ConversationModel;
import io.wmstream.topology.StoreLogging;
import io.wmstream.topology.StoreSuppliers;
import io.wmstream.topology.batching.ThreadBatchCoordinators;
import io.wmstream.topology.config.TopologySettings;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;

/** Supplies the working-memory processor together with the stores it owns. */
public final class WorkingMemoryProcessorSupplier implements ProcessorSupplier<byte[], byte[], String, Output> {
    private final TopologySettings settings;
    private final ConversationModel model;
    private final StoreLogging logging;
    private final StoreSuppliers stores;
    private final ThreadBatchCoordinators coordinators;
    private final ParsedEvents parsed;

    /** {@code parsed}: the events the topology's parser parsed, which its pending queues take instead of a parse. */
    public WorkingMemoryProcessorSupplier(TopologySettings settings, ConversationModel model, StoreLogging logging,
            StoreSuppliers stores, ParsedEvents parsed) {
        this.settings = settings;
        this.parsed = parsed;
        this.model = model;
        this.logging = logging;
        this.stores = stores;
        this.coordinators = new ThreadBatchCoordinators(model, settings.batchMaxSize(),
                settings.batchOverlap() ? settings.modelThreads() : 0);
    }

    @Override
    public Processor<byte[], byte[], String, Output> get() {
        return new WorkingMemoryProcessor(settings, model, coordinators, parsed);
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        return WorkingMemoryStores.builders(logging, stores);
    }
}
