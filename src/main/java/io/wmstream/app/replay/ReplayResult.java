package io.wmstream.app.replay;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A replay's evaluation ({@code report.json}) and the model that ran it, by name and version. */
record ReplayResult(ObjectNode report, String model) {
}
