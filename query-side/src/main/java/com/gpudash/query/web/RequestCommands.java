package com.gpudash.query.web;

import reactor.core.publisher.Mono;

/**
 * How an endpoint of this module sends a command: as the calling request, with its audit metadata, off the event
 * loop, its refusal recorded in the audit log. The command side's sender does this; the application hands it over,
 * since this module does not depend on the command side.
 */
public interface RequestCommands {

    /** Completes empty when the handler returns nothing; fails with what the handler threw. */
    Mono<Void> send(Object command);

    /** The request's correlation id: every event the request causes carries it. */
    Mono<String> correlationId();
}
