package com.gpudash.agent.gpu;

import java.util.List;

/** The nvidia-smi command lines whose output the parsers in this package read. */
public final class NvidiaSmiCommands {

    /** The fields {@link #QUERY_GPUS} asks for, in order; also the order assumed for header-less output. */
    public static final List<String> GPU_FIELDS = List.of(
            "index", "uuid", "name", "pci.bus_id", "driver_version",
            "utilization.gpu", "utilization.memory", "memory.total", "memory.used",
            "temperature.gpu", "power.draw", "power.limit");

    /** The fields {@link #QUERY_COMPUTE_APPS} asks for, in order. */
    public static final List<String> COMPUTE_APP_FIELDS = List.of("gpu_uuid", "pid", "process_name", "used_memory");

    /** Output is read by {@link NvidiaSmiCsvParser#parseGpus(String)}. */
    public static final List<String> QUERY_GPUS = List.of(
            "nvidia-smi", "--query-gpu=" + String.join(",", GPU_FIELDS), "--format=csv,nounits");

    /** Output is read by {@link NvidiaSmiCsvParser#parseComputeApps(String)}. */
    public static final List<String> QUERY_COMPUTE_APPS = List.of(
            "nvidia-smi", "--query-compute-apps=" + String.join(",", COMPUTE_APP_FIELDS), "--format=csv,nounits");

    /** Output is read by {@link NvidiaSmiXmlParser#parse(String)}. */
    public static final List<String> QUERY_XML = List.of("nvidia-smi", "-q", "-x");

    private NvidiaSmiCommands() {
    }
}
