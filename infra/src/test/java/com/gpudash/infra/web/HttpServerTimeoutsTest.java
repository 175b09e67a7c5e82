package com.gpudash.infra.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.gpudash.infra.H2ApplicationTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Slow and silent clients through raw sockets: the server closes what does not finish its request in time (the
 * H2 test context allows 2 s for the headers, 3 s for a body). "Closed" means the server ended the connection,
 * with or without an answer, well before a limit far above those.
 */
@H2ApplicationTest
class HttpServerTimeoutsTest {

    /** Far above the timeouts: a connection still open after this was not going to be closed by them. */
    private static final Duration LIMIT = Duration.ofSeconds(20);

    @LocalServerPort
    int port;

    @Test
    void halfARequestLineIsClosed() throws IOException {
        try (Socket socket = connect()) {
            send(socket, "GET /health HT");

            assertThat(closedWithin(socket, LIMIT)).isTrue();
        }
    }

    @Test
    void headersTrickledAByteAtATimeAreClosed() throws Exception {
        try (Socket socket = connect()) {
            send(socket, "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");
            socket.setSoTimeout(250);
            long deadline = System.nanoTime() + LIMIT.toNanos();
            boolean closed = false;
            while (!closed && System.nanoTime() < deadline) {
                try {
                    send(socket, "a");
                    closed = socket.getInputStream().read() < 0;
                } catch (SocketTimeoutException stillOpen) {
                    // a byte every quarter second: no read-idle timer would ever fire
                } catch (SocketException reset) {
                    closed = true;
                }
            }

            assertThat(closed).isTrue();
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosed() throws IOException {
        try (Socket socket = connect()) {
            assertThat(closedWithin(socket, LIMIT)).isTrue();
        }
    }

    @Test
    void aBodyThatStopsShortIsClosed() throws IOException {
        try (Socket socket = connect()) {
            send(socket, "POST /api/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{\"username\":");

            assertThat(closedWithin(socket, LIMIT)).isTrue();
        }
    }

    @Test
    void aKeptAliveConnectionServesTheNextRequestAfterAPauseLongerThanTheHeaderTimeout() throws Exception {
        try (Socket socket = connect()) {
            socket.setSoTimeout((int) LIMIT.toMillis());
            send(socket, "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(statusLine(socket.getInputStream())).startsWith("HTTP/1.1 ");

            Thread.sleep(3_000); // the header timeout counts from the next request's first byte, not from here

            send(socket, "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            String rest = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(rest).contains("HTTP/1.1 ");
        }
    }

    private Socket connect() throws IOException {
        return new Socket("127.0.0.1", port);
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads whatever comes (an answer before closing is fine) until the server closes or {@code limit} passes. */
    private static boolean closedWithin(Socket socket, Duration limit) throws IOException {
        socket.setSoTimeout((int) limit.toMillis());
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            while (in.read(buffer) >= 0) {
                // keep reading until the end
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        StringBuilder all = new StringBuilder();
        int c;
        // Read the whole first answer: headers up to the blank line, then Content-Length bytes.
        while ((c = in.read()) >= 0) {
            all.append((char) c);
            if (all.toString().endsWith("\r\n\r\n")) {
                break;
            }
        }
        String head = all.toString();
        line.append(head, 0, head.indexOf("\r\n"));
        int length = head.toLowerCase().indexOf("content-length:");
        if (length >= 0) {
            int end = head.indexOf("\r\n", length);
            int bytes = Integer.parseInt(head.substring(length + "content-length:".length(), end).strip());
            in.readNBytes(bytes);
        }
        return line.toString();
    }
}
