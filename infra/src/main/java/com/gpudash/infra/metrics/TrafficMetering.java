package com.gpudash.infra.metrics;

import java.util.Map;

import com.gpudash.api.user.Caller;
import com.gpudash.infra.security.RoutePermissions;
import com.gpudash.query.traffic.UserTraffic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import org.reactivestreams.Publisher;
import org.springframework.boot.actuate.metrics.http.Outcome;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Counts every API request and the body bytes it read and wrote, for Prometheus per route of the
 * {@link RoutePermissions} table (its template, such as {@code /api/containers/{id}/start}; {@code unmatched} for
 * paths it does not list, so no raw path or name ever becomes a label) and, for signed-in callers, per user in
 * {@link UserTraffic}.
 * <p>
 * It wraps the whole HTTP handler rather than sitting in the filter chain, because error answers are written by
 * exception handlers outside that chain: only here are their status and bytes seen. The caller is known only inside
 * the chain, so the filter half of this class, first in the chain, hands the exchange's attributes (where the
 * security layer puts the {@link Caller}) to the request's meter, which travels in the Reactor context.
 */
final class TrafficMetering implements WebFilter {

    private final RoutePermissions routes;
    private final MeterRegistry registry;
    private final UserTraffic users;

    TrafficMetering(RoutePermissions routes, MeterRegistry registry, UserTraffic users) {
        this.routes = routes;
        this.registry = registry;
        this.users = users;
    }

    /** What {@code HttpHandlerDecoratorFactory} applies around the application. */
    HttpHandler decorate(HttpHandler application) {
        return (request, response) -> {
            String method = request.getMethod().name();
            String route = routes.find(request.getMethod(), request.getPath().pathWithinApplication())
                    .map(found -> found.pattern().getPatternString())
                    .orElse("unmatched");
            RequestMeter meter = new RequestMeter(method, route);
            return application.handle(new MeteredRequest(request, meter), new MeteredResponse(response, meter))
                    .doFinally(signal -> meter.finished(response.getStatusCode()))
                    .contextWrite(context -> context.put(RequestMeter.class, meter));
        };
    }

    /** The filter half: runs first in the chain and lends the exchange's attributes to the request's meter. */
    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return Mono.deferContextual(context -> {
            context.<RequestMeter>getOrEmpty(RequestMeter.class)
                    .ifPresent(meter -> meter.attributes = exchange.getAttributes());
            return chain.filter(exchange);
        });
    }

    /** One request's counts. */
    private final class RequestMeter {
        private final String method;
        private final String route;
        private volatile Map<String, Object> attributes;

        RequestMeter(String method, String route) {
            this.method = method;
            this.route = route;
        }

        void received(int bytes) {
            counter("gpudash.api.received", "Request body bytes the API read").increment(bytes);
            Caller caller = caller();
            if (caller != null) {
                users.received(caller.userId(), bytes);
            }
        }

        void sent(int bytes) {
            counter("gpudash.api.sent", "Response body bytes the API wrote").increment(bytes);
            Caller caller = caller();
            if (caller != null) {
                users.sent(caller.userId(), bytes);
            }
        }

        void finished(HttpStatusCode status) {
            Counter.builder("gpudash.api.requests")
                    .description("API requests answered, per route template, method and outcome")
                    .tags("route", route, "method", method,
                            "outcome", status == null ? Outcome.UNKNOWN.name() : Outcome.forStatus(status.value()).name())
                    .register(registry)
                    .increment();
            Caller caller = caller();
            if (caller != null) {
                users.request(caller.userId());
            }
        }

        private Counter counter(String name, String description) {
            return Counter.builder(name).baseUnit(BaseUnits.BYTES).description(description)
                    .tags("route", route, "method", method)
                    .register(registry);
        }

        private Caller caller() {
            Map<String, Object> known = attributes;
            return known == null ? null : (Caller) known.get(Caller.ATTRIBUTE);
        }
    }

    private static final class MeteredRequest extends ServerHttpRequestDecorator {

        private final RequestMeter meter;

        MeteredRequest(ServerHttpRequest delegate, RequestMeter meter) {
            super(delegate);
            this.meter = meter;
        }

        @Override
        public Flux<DataBuffer> getBody() {
            return super.getBody().doOnNext(buffer -> meter.received(buffer.readableByteCount()));
        }
    }

    private static final class MeteredResponse extends ServerHttpResponseDecorator {

        private final RequestMeter meter;

        MeteredResponse(ServerHttpResponse delegate, RequestMeter meter) {
            super(delegate);
            this.meter = meter;
        }

        @Override
        public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
            return super.writeWith(Flux.from(body).doOnNext(buffer -> meter.sent(buffer.readableByteCount())));
        }

        /** Streams (Server-Sent Events) write this way: counted as each part goes out, not when they end. */
        @Override
        public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
            return super.writeAndFlushWith(Flux.from(body)
                    .map(part -> Flux.from(part).doOnNext(buffer -> meter.sent(buffer.readableByteCount()))));
        }
    }
}
