package com.gpudash.query.live;

import com.gpudash.api.user.Caller;
import reactor.core.publisher.Mono;

/**
 * Whether the session a stream was opened with still lets its caller in, by the rule of the security layer, which
 * owns the sessions and answers this; asked of streams whose session may have been ended by another node.
 */
public interface SessionCheck {

    Mono<Boolean> alive(Caller caller);
}
