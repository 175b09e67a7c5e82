package com.gpudash.query.replay;

/** Lets a test of a reader hold the {@link ReadModelGate} shut, as a replay does, while {@code rebuild} runs. */
public final class Rebuilds {

    private Rebuilds() {
    }

    public static void during(ReadModelGate gate, Runnable rebuild) throws InterruptedException {
        gate.rebuilding(() -> {
            rebuild.run();
            return null;
        });
    }
}
