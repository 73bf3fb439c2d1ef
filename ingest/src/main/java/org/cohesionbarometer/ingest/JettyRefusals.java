package org.cohesionbarometer.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * The refusals Jetty makes before the API sees a request (headers or a request line too large, a
 * request it cannot parse, a body over the limit) as {@code application/problem+json}, like every
 * other answer of the API, instead of Jetty's HTML page; they never echo the request.
 */
final class JettyRefusals extends ErrorHandler {

    /** Every method's refusal is a problem, not only GET's, POST's and HEAD's (Jetty's default: an empty body). */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE);
        return ByteBuffer.wrap(json(status));
    }

    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request, HttpServletResponse response,
                                              int code, String message) throws IOException {
        baseRequest.setHandled(true);
        response.setContentType(Problem.CONTENT_TYPE);
        response.getOutputStream().write(json(code));
    }

    private static byte[] json(int status) {
        String detail = switch (status) {
            case 431 -> "The request's headers are larger than the server takes; send fewer or shorter headers.";
            case 414 -> "The request line is longer than the server takes.";
            case 413 -> "The body is larger than " + RequestLimits.MAX_BODY_BYTES / (1024 * 1024) + " MB; send fewer records"
                    + " per request. Nothing from this request was stored.";
            default -> "The request could not be read as HTTP; nothing from it was stored.";
        };
        try {
            return RequestLimits.JSON.writeValueAsBytes(Problem.ofStatus(status, detail));
        } catch (JsonProcessingException e) {
            return ("{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
        }
    }
}
