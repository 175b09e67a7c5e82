package com.gpudash.agent.docker;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A build context holding one file, {@code Dockerfile}, as the POSIX ustar archive the build endpoint reads. A build
 * from a Dockerfile text has nothing else to send, so the context is made in memory rather than from a directory.
 */
final class DockerfileTar {

    private static final int BLOCK = 512;

    private DockerfileTar() {
    }

    static byte[] of(String dockerfile) {
        byte[] content = dockerfile.getBytes(StandardCharsets.UTF_8);
        byte[] header = new byte[BLOCK];
        put(header, 0, "Dockerfile");
        put(header, 100, octal(0644, 7));
        put(header, 108, octal(0, 7));
        put(header, 116, octal(0, 7));
        put(header, 124, octal(content.length, 11));
        put(header, 136, octal(0, 11));
        header[156] = '0';
        put(header, 257, "ustar");
        put(header, 263, "00");
        // The checksum is computed with its own field read as eight spaces.
        put(header, 148, "        ");
        int checksum = 0;
        for (byte b : header) {
            checksum += b & 0xff;
        }
        put(header, 148, octal(checksum, 6) + "\0 ");

        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        tar.writeBytes(header);
        tar.writeBytes(content);
        tar.writeBytes(new byte[padding(content.length)]);
        // An archive ends with two zero blocks.
        tar.writeBytes(new byte[2 * BLOCK]);
        return tar.toByteArray();
    }

    private static int padding(int length) {
        return (BLOCK - length % BLOCK) % BLOCK;
    }

    private static String octal(long value, int digits) {
        String octal = Long.toOctalString(value);
        if (octal.length() > digits) {
            throw new IllegalArgumentException("a Dockerfile this large does not fit a tar header");
        }
        return "0".repeat(digits - octal.length()) + octal;
    }

    private static void put(byte[] header, int offset, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }
}
