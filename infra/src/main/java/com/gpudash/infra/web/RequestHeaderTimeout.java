package com.gpudash.infra.web;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import reactor.netty.NettyPipeline;

/**
 * Closes a connection whose request line and headers are not complete within a time from the first byte of the
 * request (or from the opening of the connection). Reactor Netty's idle timeout is a read-idle timer that every
 * byte restarts, so a client trickling a header a byte at a time held the connection for good; this one counts
 * the whole wait. Two handlers share it: one before the HTTP codec sees the first bytes of a request, one after
 * it sees the decoded request and the end of the answer. Everything runs on the connection's event loop.
 */
final class RequestHeaderTimeout {

    private final Duration timeout;
    private boolean awaitingRequest = true;
    private ScheduledFuture<?> timer;

    private RequestHeaderTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    /** Around the HTTP/1.1 codec; a pipeline without one (not HTTP/1.1) is left alone. */
    static void install(ChannelPipeline pipeline, Duration timeout) {
        if (pipeline.get(NettyPipeline.HttpCodec) == null) {
            return;
        }
        RequestHeaderTimeout shared = new RequestHeaderTimeout(timeout);
        pipeline.addBefore(NettyPipeline.HttpCodec, "gpudash.requestHeaderTimeout.bytes", shared.new Bytes());
        pipeline.addAfter(NettyPipeline.HttpCodec, "gpudash.requestHeaderTimeout.requests", shared.new Requests());
    }

    private void start(ChannelHandlerContext ctx) {
        if (awaitingRequest && timer == null && ctx.channel().isActive()) {
            timer = ctx.executor().schedule(() -> {
                ctx.channel().close();
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void stop() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** Raw bytes: a connection that opens, or the first bytes of the next request on it, start the clock. */
    private final class Bytes extends ChannelInboundHandlerAdapter {

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            start(ctx);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            start(ctx);
            super.channelActive(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            start(ctx);
            super.channelRead(ctx, msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            stop();
            super.channelInactive(ctx);
        }
    }

    /** Decoded: a request whose headers are complete stops the clock; the end of its answer awaits the next. */
    private final class Requests extends ChannelDuplexHandler {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof HttpRequest) {
                awaitingRequest = false;
                stop();
            }
            super.channelRead(ctx, msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (msg instanceof LastHttpContent) {
                // Keep-alive: the connection now waits for the next request; its idleness is Netty's idle timeout.
                awaitingRequest = true;
            }
            super.write(ctx, msg, promise);
        }
    }
}
