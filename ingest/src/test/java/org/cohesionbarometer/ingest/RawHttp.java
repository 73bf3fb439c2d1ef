package org.cohesionbarometer.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * One HTTP/1.1 exchange on a socket of its own, written byte by byte as given: whatever a client
 * may send (any method, request line, headers, a body in chunks of any size), then the whole
 * answer read until the server closes the connection.
 */
final class RawHttp {

    /** An answer: its status, its Content-Type (lower case, "" when none) and its body, de-chunked. */
    record Answer(int status, String contentType, String body) {
        boolean isProblem() {
            return contentType.startsWith("application/problem+json");
        }
    }

    /** The request: {@code head} is the request line and headers up to and including the blank line. */
    static Answer exchange(int port, String head, List<byte[]> bodyParts, boolean chunked, int timeoutMillis) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                for (byte[] part : bodyParts) {
                    if (chunked) {
                        out.write((Integer.toHexString(part.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        out.write(part);
                        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    } else {
                        out.write(part);
                    }
                }
                if (chunked) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                out.flush();
            } catch (IOException answeredAndClosed) {
                // the server refused before the whole request was sent: its answer is there to read
            }
            return read(socket.getInputStream());
        }
    }

    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        try {
            for (int n; (n = in.read(buffer)) != -1; ) {
                received.write(buffer, 0, n);
            }
        } catch (java.net.SocketException reset) {
            // a reset after the answer: what was read is the answer
        }
        String text = received.toString(StandardCharsets.ISO_8859_1);
        while (text.matches("(?s)HTTP/1\\.\\d 1\\d\\d .*?\r\n\r\n.*")) { // an interim answer (100 Continue): the final one follows
            text = text.substring(text.indexOf("\r\n\r\n") + 4);
        }
        int headEnd = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.") || headEnd < 0) {
            return new Answer(-1, "", text.length() > 300 ? text.substring(0, 300) : text);
        }
        int status = Integer.parseInt(text.substring(9, 12));
        String headers = text.substring(0, headEnd).toLowerCase(Locale.ROOT);
        String contentType = headers.contains("\r\ncontent-type:")
                ? headers.replaceAll("(?s).*\r\ncontent-type: *([^\r\n]*).*", "$1").trim() : "";
        String body = text.substring(headEnd + 4);
        if (headers.contains("\r\ntransfer-encoding: chunked")) {
            StringBuilder decoded = new StringBuilder();
            for (int at = 0; at < body.length(); ) {
                int lineEnd = body.indexOf("\r\n", at);
                int size = lineEnd < 0 ? 0 : Integer.parseInt(body.substring(at, lineEnd).trim(), 16);
                if (size == 0) {
                    break;
                }
                decoded.append(body, lineEnd + 2, Math.min(body.length(), lineEnd + 2 + size));
                at = lineEnd + 2 + size + 2;
            }
            body = decoded.toString();
        }
        return new Answer(status, contentType, new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }

    private RawHttp() {
    }
}
