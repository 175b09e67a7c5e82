package com.gpudash.agent.docker;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import com.github.dockerjava.transport.DockerHttpClient;
import com.gpudash.agent.SshTarget;
import com.gpudash.agent.ssh.CommandStreams;
import com.gpudash.agent.ssh.SshHostShell;

/**
 * The Docker Engine API of an SSH server, spoken through {@code docker system dial-stdio} there as the Docker CLI
 * does for {@code DOCKER_HOST=ssh://}: one exec channel per HTTP/1.1 exchange on the server's kept SSH connection,
 * the request written to the command's standard input and the answer read from its standard output.
 *
 * <p>Nothing listens locally: a loopback relay would hand root on the server to every local user.
 */
final class SshDialStdioHttpClient implements DockerHttpClient {

    static final List<String> DIAL_STDIO = List.of("docker", "system", "dial-stdio");
    /** Status and header lines; the engine's are short, so anything longer is no answer of it. */
    private static final int MAX_HEAD_BYTES = 64 * 1024;
    /** Headers this client sets itself, whatever the request says. */
    private static final Set<String> OWN_HEADERS = Set.of("host", "connection", "content-length", "transfer-encoding");
    /** A shell's exit statuses for a command it cannot run or cannot find. */
    private static final Set<Integer> NOT_RUNNABLE = Set.of(126, 127);
    private static final byte[] CRLF = {'\r', '\n'};

    private final SshHostShell shell;
    private final SshTarget target;
    private final Duration timeout;

    /** @param timeout bounds every wait: for a command slot, for the channel to open, and each read and write */
    SshDialStdioHttpClient(SshHostShell shell, SshTarget target, Duration timeout) {
        this.shell = shell;
        this.target = target;
        this.timeout = timeout;
    }

    @Override
    public Response execute(Request request) {
        if (request.hijackedInput() != null) {
            throw new UnsupportedOperationException("attaching to a container is not spoken over ssh:// endpoints");
        }
        CommandStreams command = shell.stream(target, DIAL_STDIO, timeout);
        try {
            // No end of input is sent: the engine would take it for a client gone and cancel a running request.
            writeRequest(request, command.input());
            InputStream answer = new BufferedInputStream(command.output());
            String statusLine = readLine(answer, true);
            if (statusLine == null) {
                throw nothingAnswered(command);
            }
            int status = statusCode(statusLine);
            Map<String, List<String>> headers = readHeaders(answer);
            return new DialedResponse(status, headers, body(request, status, headers, answer), command);
        } catch (IOException e) {
            command.close();
            throw new UncheckedIOException(where() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            command.close();
            throw e;
        }
    }

    /** The connections belong to the SSH client, which others share; there is nothing of this client's to close. */
    @Override
    public void close() {
    }

    private void writeRequest(Request request, OutputStream channelInput) throws IOException {
        OutputStream out = new BufferedOutputStream(channelInput, 32 * 1024);
        StringBuilder head = new StringBuilder()
                .append(request.method()).append(' ').append(request.path()).append(" HTTP/1.1\r\n")
                // dial-stdio reaches one engine; the name only satisfies HTTP/1.1.
                .append("Host: docker\r\n")
                .append("Connection: close\r\n");
        request.headers().forEach((name, value) -> {
            if (!OWN_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                head.append(headerField(name)).append(": ").append(headerValue(value)).append("\r\n");
            }
        });
        byte[] bytes = request.bodyBytes();
        InputStream stream = bytes == null ? request.body() : null;
        if (stream != null) {
            head.append("Transfer-Encoding: chunked\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            writeChunked(stream, out);
        } else {
            byte[] body = bytes == null ? new byte[0] : bytes;
            head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            out.write(body);
        }
        out.flush();
    }

    private static void writeChunked(InputStream body, OutputStream out) throws IOException {
        try (body) {
            byte[] buffer = new byte[32 * 1024];
            for (int read; (read = body.read(buffer)) != -1; ) {
                if (read > 0) {
                    out.write((Integer.toHexString(read) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(buffer, 0, read);
                    out.write(CRLF);
                }
            }
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static String headerField(String name) {
        if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
            throw new IllegalArgumentException("not an HTTP header name: " + name);
        }
        return name;
    }

    private static String headerValue(String value) {
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("an HTTP header value holds a line break");
        }
        return value;
    }

    /**
     * The command ended before the engine said a word: dial-stdio could not reach the engine, or the server could
     * not run it at all, which no retry mends.
     */
    private RuntimeException nothingAnswered(CommandStreams command) {
        Optional<Integer> exit = command.exitStatus(Duration.ofSeconds(2));
        String errors = command.errors().strip();
        String said = errors.isEmpty() ? "" : "; it said: " + errors;
        command.close();
        if (exit.isPresent() && NOT_RUNNABLE.contains(exit.get())) {
            return new IllegalStateException(where() + ": cannot run " + String.join(" ", DIAL_STDIO) + " (exit status "
                    + exit.get() + "): the docker CLI must be installed there and on the user's PATH" + said);
        }
        return new UncheckedIOException(new EOFException(where() + ": " + String.join(" ", DIAL_STDIO) + " ended"
                + exit.map(status -> " with exit status " + status).orElse("") + " without an answer of the engine" + said));
    }

    private String where() {
        return "Docker over SSH " + target.user() + "@" + target.host() + ":" + target.port();
    }

    private static int statusCode(String statusLine) throws IOException {
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("[0-9]{3}")) {
            throw new IOException("not an HTTP status line: " + abbreviated(statusLine));
        }
        return Integer.parseInt(parts[1]);
    }

    private static Map<String, List<String>> readHeaders(InputStream answer) throws IOException {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        int total = 0;
        for (String line; !(line = readLine(answer, false)).isEmpty(); ) {
            total += line.length();
            if (total > MAX_HEAD_BYTES) {
                throw new IOException("the engine's answer has more than " + MAX_HEAD_BYTES + " bytes of headers");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("not an HTTP header line: " + abbreviated(line));
            }
            headers.computeIfAbsent(line.substring(0, colon).strip(), any -> new ArrayList<>())
                    .add(line.substring(colon + 1).strip());
        }
        Map<String, List<String>> kept = new LinkedHashMap<>();
        headers.forEach((name, values) -> kept.put(name, List.copyOf(values)));
        return kept;
    }

    private static InputStream body(Request request, int status, Map<String, List<String>> headers, InputStream answer)
            throws IOException {
        if ("HEAD".equals(request.method()) || status == 204 || status == 304 || status / 100 == 1) {
            return InputStream.nullInputStream();
        }
        String encoding = header(headers, "Transfer-Encoding");
        if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            return new ChunkedBody(answer);
        }
        String length = header(headers, "Content-Length");
        if (length != null) {
            try {
                return new LengthBody(answer, Long.parseLong(length.strip()));
            } catch (NumberFormatException e) {
                throw new IOException("not a Content-Length: " + abbreviated(length));
            }
        }
        // With Connection: close and neither, the body ends where the engine closes the connection.
        return answer;
    }

    private static String header(Map<String, List<String>> headers, String name) {
        return headers.entrySet().stream()
                .filter(entry -> entry.getKey().equalsIgnoreCase(name))
                .map(entry -> String.join(",", entry.getValue()))
                .findFirst().orElse(null);
    }

    /**
     * One CRLF-ended line (a bare LF is taken too), without its end. At the very start of the answer an immediate end
     * of stream is {@code null}; anywhere else it is a cut-off answer.
     */
    private static String readLine(InputStream in, boolean endAllowed) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; ; ) {
            b = in.read();
            if (b == -1) {
                if (endAllowed && line.size() == 0) {
                    return null;
                }
                throw new EOFException("the engine's answer ended in the middle of its head");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            if (line.size() >= MAX_HEAD_BYTES) {
                throw new IOException("a line of the engine's answer is longer than " + MAX_HEAD_BYTES + " bytes");
            }
            line.write(b);
        }
    }

    private static String abbreviated(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }

    /** Exactly {@code remaining} bytes, then the end, whatever follows. */
    private static final class LengthBody extends InputStream {

        private final InputStream in;
        private long remaining;

        LengthBody(InputStream in, long length) {
            this.in = in;
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            if (length == 0) {
                return 0;
            }
            int read = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (read == -1) {
                throw new EOFException("the engine's answer ended " + remaining + " bytes short of its Content-Length");
            }
            remaining -= read;
            return read;
        }
    }

    /** An HTTP/1.1 chunked body: chunks of a hexadecimal size each, ended by one of size zero and the trailers. */
    private static final class ChunkedBody extends InputStream {

        private final InputStream in;
        private long chunkLeft;
        private boolean ended;

        ChunkedBody(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (ended) {
                return -1;
            }
            if (length == 0) {
                return 0;
            }
            if (chunkLeft == 0) {
                String size = readLine(in, false);
                int extension = size.indexOf(';');
                try {
                    chunkLeft = Long.parseLong((extension < 0 ? size : size.substring(0, extension)).strip(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("not a chunk size: " + abbreviated(size));
                }
                if (chunkLeft == 0) {
                    while (!readLine(in, false).isEmpty()) {
                        // trailers carry nothing the Docker client reads
                    }
                    ended = true;
                    return -1;
                }
            }
            int read = in.read(buffer, offset, (int) Math.min(length, chunkLeft));
            if (read == -1) {
                throw new EOFException("the engine's answer ended inside a chunk");
            }
            chunkLeft -= read;
            if (chunkLeft == 0 && !readLine(in, false).isEmpty()) {
                throw new IOException("a chunk of the engine's answer does not end with a line break");
            }
            return read;
        }
    }

    private static final class DialedResponse implements Response {

        private final int status;
        private final Map<String, List<String>> headers;
        private final InputStream body;
        private final CommandStreams command;

        DialedResponse(int status, Map<String, List<String>> headers, InputStream body, CommandStreams command) {
            this.status = status;
            this.headers = headers;
            this.body = body;
            this.command = command;
        }

        @Override
        public int getStatusCode() {
            return status;
        }

        @Override
        public Map<String, List<String>> getHeaders() {
            return headers;
        }

        @Override
        public String getHeader(String name) {
            return header(headers, name);
        }

        @Override
        public InputStream getBody() {
            return body;
        }

        /** Ends the exchange: the channel closes, which ends dial-stdio, and the command slot is free again. */
        @Override
        public void close() {
            command.close();
        }
    }
}
