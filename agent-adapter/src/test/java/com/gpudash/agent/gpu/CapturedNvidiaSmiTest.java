package com.gpudash.agent.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The outputs this project captured on an H200 with the adapter's own command lines
 * ({@code src/test/resources/nvidia-smi-captured}, see its SOURCES.md). Expected values are read by hand from the
 * files; the CSV and XML of one moment must agree, since the probe may read either.
 */
class CapturedNvidiaSmiTest {

    private static final String DIRECTORY = "/nvidia-smi-captured/";
    private static final String UUID = "GPU-17e5a922-c253-121e-317d-f787dfc19245";
    private static final String TAG = "nvidia-h200-x1-580.159.04";

    private static long mib(long mebibytes) {
        return mebibytes * 1024 * 1024;
    }

    private static String read(String fileName) {
        try (InputStream in = CapturedNvidiaSmiTest.class.getResourceAsStream(DIRECTORY + fileName)) {
            assertThat(in).as(fileName).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> commandOf(String fileName) {
        return List.of(read(fileName + ".cmd").strip().split(" "));
    }

    @Test
    void theCapturedCommandLinesAreTheOnesTheAdapterRuns() {
        assertThat(commandOf("query-gpu-nounits-" + TAG + "-load.csv")).isEqualTo(NvidiaSmiCommands.QUERY_GPUS);
        assertThat(commandOf("query-compute-apps-nounits-" + TAG + "-load.csv"))
                .isEqualTo(NvidiaSmiCommands.QUERY_COMPUTE_APPS);
        assertThat(commandOf("xml-" + TAG + "-load.xml")).isEqualTo(NvidiaSmiCommands.QUERY_XML);
    }

    @Test
    void idleCsvReadsZeroUseAndTheFullMemory() {
        assertThat(NvidiaSmiCsvParser.parseGpus(read("query-gpu-nounits-" + TAG + "-idle.csv"))).containsExactly(
                new GpuSample(0, UUID, "NVIDIA H200", "00000000:00:06.0", "580.159.04", 0, 0, mib(143771), 0L, 38,
                        119.53, 700.00));
    }

    @Test
    void loadCsvWithoutUnits() {
        assertThat(NvidiaSmiCsvParser.parseGpus(read("query-gpu-nounits-" + TAG + "-load.csv"))).containsExactly(
                new GpuSample(0, UUID, "NVIDIA H200", "00000000:00:06.0", "580.159.04", 100, 24, mib(143771),
                        mib(1139), 60, 687.86, 700.00));
    }

    @Test
    void loadCsvWithUnitsInTheValues() {
        // Captured a moment after the nounits one: same GPU, a degree warmer and a little more power.
        assertThat(NvidiaSmiCsvParser.parseGpus(read("query-gpu-" + TAG + "-load.csv"))).containsExactly(
                new GpuSample(0, UUID, "NVIDIA H200", "00000000:00:06.0", "580.159.04", 100, 24, mib(143771),
                        mib(1139), 61, 688.53, 700.00));
    }

    @Test
    void computeAppsHeaderNamesUsedMemoryDifferentlyFromTheQuery() {
        // Asked as used_memory, printed as "used_gpu_memory [MiB]".
        assertThat(NvidiaSmiCsvParser.parseComputeApps(read("query-compute-apps-nounits-" + TAG + "-load.csv")))
                .containsExactly(new GpuProcessSample(UUID, 482, "python3", mib(1130)));
    }

    @Test
    void idleComputeAppsIsTheHeaderAlone() {
        assertThat(NvidiaSmiCsvParser.parseComputeApps(read("query-compute-apps-nounits-" + TAG + "-idle.csv")))
                .isEmpty();
    }

    @Test
    void idleXmlReadsTheGpuPowerSectionNotTheMemoryOrModuleOne() {
        GpuSnapshot snapshot = NvidiaSmiXmlParser.parse(read("xml-" + TAG + "-idle.xml"));

        // gpu_power_readings/average_power_draw 113.13 W; gpu_memory_power_readings has 50.13 W.
        assertThat(snapshot.gpus()).containsExactly(new GpuSample(0, UUID, "NVIDIA H200", "00000000:00:06.0",
                "580.159.04", 0, 0, mib(143771), 0L, 38, 113.13, 700.00));
        assertThat(snapshot.processes()).isEmpty();
    }

    @Test
    void loadXmlListsTheComputeProcess() {
        GpuSnapshot snapshot = NvidiaSmiXmlParser.parse(read("xml-" + TAG + "-load.xml"));

        assertThat(snapshot.gpus()).containsExactly(new GpuSample(0, UUID, "NVIDIA H200", "00000000:00:06.0",
                "580.159.04", 100, 24, mib(143771), mib(1139), 60, 689.42, 700.00));
        assertThat(snapshot.processes()).containsExactly(new GpuProcessSample(UUID, 482, "python3", mib(1130)));
    }
}
