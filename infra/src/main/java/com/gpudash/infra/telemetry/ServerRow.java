package com.gpudash.infra.telemetry;

import com.gpudash.api.server.ServerId;
import com.gpudash.api.server.ServerStatus;

/** What the poller needs to know of a registered server, read from the servers read model. */
record ServerRow(ServerId id, String name, String host, String dockerEndpoint, int sshPort, String sshUser,
                 String sshHostKey, ServerStatus status) {
}
