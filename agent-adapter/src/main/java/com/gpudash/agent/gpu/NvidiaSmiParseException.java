package com.gpudash.agent.gpu;

/** nvidia-smi printed something this adapter cannot read; the message says where (line and column, or element). */
public class NvidiaSmiParseException extends RuntimeException {

    public NvidiaSmiParseException(String message) {
        super(message);
    }

    public NvidiaSmiParseException(String message, Throwable cause) {
        super(message, cause);
    }
}
