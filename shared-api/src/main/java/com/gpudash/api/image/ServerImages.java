package com.gpudash.api.image;

import java.util.List;

import com.gpudash.api.server.ServerId;

/**
 * What a server's Docker Engine said about its images. An engine that does not answer is an answer too, not a
 * failure of the query: each asker decides what it means (left out of a list across servers, or a 503).
 *
 * @param engineProblem why the engine did not answer, in words for the caller; null when it answered
 */
public record ServerImages(ServerId serverId, List<ImageView> images, String engineProblem) {

    public static ServerImages unanswered(ServerId serverId, String engineProblem) {
        return new ServerImages(serverId, List.of(), engineProblem);
    }

    public boolean answered() {
        return engineProblem == null;
    }
}
