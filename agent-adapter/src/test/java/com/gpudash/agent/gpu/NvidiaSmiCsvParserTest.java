package com.gpudash.agent.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every {@code query-gpu-*} and {@code query-compute-apps-*} fixture, with expected values read by hand from the
 * fixture files. The {@code nvidia-smi-table-*} and {@code nvidia-smi-q-text-*} fixtures are not covered: they are
 * the human-readable table and {@code -q} report, which the adapter never asks for and which are not CSV.
 */
class NvidiaSmiCsvParserTest {

    /** collect.sh in nvidia_gpu_exporter masked every UUID in its captures to this. */
    private static final String MASKED_UUID = "GPU-00000000-0000-0000-0000-000000000000";

    private static long mib(long mebibytes) {
        return mebibytes * 1024 * 1024;
    }

    private static GpuSample onlyGpu(String output) {
        List<GpuSample> gpus = NvidiaSmiCsvParser.parseGpus(output);
        assertThat(gpus).hasSize(1);
        return gpus.get(0);
    }

    @Nested
    class QueryGpuFixtures {

        @Test
        void h100UnderLoadWithUnitsInHeaderAndValues() {
            GpuSample gpu = onlyGpu(NvidiaSmiFixtures.read("query-gpu-h100-80gb-hbm3-x1-590.48.01-load.csv"));

            assertThat(gpu).isEqualTo(new GpuSample(0, MASKED_UUID, "NVIDIA H100 80GB HBM3", "00000000:00:09.0",
                    "590.48.01", 100, 11, 85_520_809_984L, mib(19818), 59, 631.95, 700.00));
        }

        @Test
        void h100IdleReadsZeroesAsZero() {
            GpuSample gpu = onlyGpu(NvidiaSmiFixtures.read("query-gpu-h100-80gb-hbm3-x1-590.48.01-idle.csv"));

            assertThat(gpu).isEqualTo(new GpuSample(0, MASKED_UUID, "NVIDIA H100 80GB HBM3", "00000000:00:09.0",
                    "590.48.01", 0, 0, mib(81559), 0L, 41, 69.85, 700.00));
        }

        @Test
        void h100WithMigEnabledHasNoUtilization() {
            GpuSample gpu = onlyGpu(
                    NvidiaSmiFixtures.read("query-gpu-h100-80gb-hbm3-mig-enabled-x1-590.48.01-load.csv"));

            assertThat(gpu).isEqualTo(new GpuSample(0, MASKED_UUID, "NVIDIA H100 80GB HBM3", "00000000:00:09.0",
                    "590.48.01", null, null, mib(81559), mib(11125), 53, 433.78, 700.00));
        }

        @Test
        void h200UnderLoad() {
            GpuSample gpu = onlyGpu(NvidiaSmiFixtures.read("query-gpu-h200-x1-590.48.01-load.csv"));

            assertThat(gpu).isEqualTo(new GpuSample(0, MASKED_UUID, "NVIDIA H200", "00000000:83:00.0",
                    "590.48.01", 100, 7, 150_754_820_096L, mib(32362), 52, 627.40, 700.00));
        }

        @Test
        void l40sIdleAsCaptured() {
            GpuSample gpu = onlyGpu(NvidiaSmiFixtures.read("query-gpu-l40s-x1-595.80-idle.csv"));

            // "Idle" per the capture's label, yet nvidia-smi printed 100 % utilization; the parser reports what was printed.
            assertThat(gpu).isEqualTo(new GpuSample(0, MASKED_UUID, "NVIDIA L40S", "00000000:01:00.0",
                    "595.80", 100, 9, mib(46068), 0L, 63, 144.97, 350.00));
        }

        @Test
        void rtx4080SuperUnderLoad() {
            GpuSample gpu = onlyGpu(NvidiaSmiFixtures.read("query-gpu-rtx4080super-linux-x1-595.71.05-load.csv"));

            assertThat(gpu).isEqualTo(new GpuSample(0, MASKED_UUID, "NVIDIA GeForce RTX 4080 SUPER",
                    "00000000:01:00.0", "595.71.05", 7, 2, mib(16376), mib(1474), 46, 84.24, 320.00));
        }

        @Test
        void rtx2080SuperLinuxOn610DriverWith241Columns() {
            GpuSample gpu = onlyGpu(NvidiaSmiFixtures.read("query-gpu-rtx2080super-linux-x1-610.57.04-idle.csv"));

            assertThat(gpu).isEqualTo(new GpuSample(0, MASKED_UUID, "NVIDIA GeForce RTX 2080 SUPER",
                    "00000000:0C:00.0", "610.57.04", 0, 0, mib(8192), mib(211), 33, 39.17, 250.00));
        }

        @Test
        void rtx2080SuperWindows610() {
            // Captured by a bash on Windows, so LF line endings despite the OS; CRLF is tested below.
            GpuSample gpu = onlyGpu(
                    NvidiaSmiFixtures.read("query-gpu-rtx2080super-windows-wddm-x1-610.62-idle.csv"));

            assertThat(gpu).isEqualTo(new GpuSample(0, MASKED_UUID, "NVIDIA GeForce RTX 2080 SUPER",
                    "00000000:0C:00.0", "610.62", 0, 10, mib(8192), mib(797), 40, 39.25, 250.00));
        }

        @Test
        void rtx2080SuperWindows471WithOlderFieldNames() {
            GpuSample gpu = onlyGpu(NvidiaSmiFixtures.read("query-gpu-rtx2080super-windows-wddm-x1-471.11.csv"));

            assertThat(gpu).isEqualTo(new GpuSample(0, "GPU-df6e7a7c-7314-46f8-abc4-b88b36dcf3aa",
                    "NVIDIA GeForce RTX 2080 SUPER", "00000000:0C:00.0", "471.11", 2, 10, mib(8192), mib(876), 36,
                    32.70, 250.00));
        }

        @Test
        void editedH100x8WithNounitsAndNoTrailingNewlineGivesEightGpus() {
            List<GpuSample> gpus = NvidiaSmiCsvParser.parseGpus(
                    NvidiaSmiFixtures.read("query-gpu-nounits-h100-80gb-hbm3-x8-535.161.07-EDITED.csv"));

            // Rows 4-7 repeat rows 0-3 with only the index changed (SOURCES.md). The query has no uuid,
            // power.draw or power.limit (only power.draw.average/.instant), so those are absent.
            assertThat(gpus).extracting(GpuSample::index, GpuSample::pciBusId, GpuSample::temperatureCelsius)
                    .containsExactly(
                            tuple(0, "00000000:0A:00.0", 26), tuple(1, "00000000:11:00.0", 26),
                            tuple(2, "00000000:18:00.0", 25), tuple(3, "00000000:69:00.0", 25),
                            tuple(4, "00000000:0A:00.0", 26), tuple(5, "00000000:11:00.0", 26),
                            tuple(6, "00000000:18:00.0", 25), tuple(7, "00000000:69:00.0", 25));
            assertThat(gpus).allSatisfy(gpu -> assertThat(gpu).isEqualTo(new GpuSample(gpu.index(), null,
                    "NVIDIA H100 80GB HBM3", gpu.pciBusId(), "535.161.07", 0, 0, mib(81559), 0L,
                    gpu.temperatureCelsius(), null, null)));
        }

        @Test
        void editedTeslaT4WithNounits() {
            GpuSample gpu = onlyGpu(
                    NvidiaSmiFixtures.read("query-gpu-nounits-tesla-t4-x1-550.54.15-EDITED.csv"));

            assertThat(gpu).isEqualTo(new GpuSample(0, null, "Tesla T4", "00000001:01:00.0", "550.54.15",
                    2, 3, mib(15360), mib(100), 26, null, null));
        }

        @Test
        void headerlessTeslaP4IsReadWithTheFieldListOfItsCommand() {
            String fixture = "query-gpu-noheader-nounits-tesla-p4-x1-not-supported-EMBEDDED.csv";
            List<String> fields = NvidiaSmiFixtures.queriedGpuFields(fixture);

            List<GpuSample> gpus = NvidiaSmiCsvParser.parseGpus(NvidiaSmiFixtures.read(fixture), fields);

            // fan.speed is [Not Supported]; it is not a field GpuSample holds, and must not upset the row.
            assertThat(gpus).containsExactly(new GpuSample(0, "GPU-xxx", "Tesla P4", null, null, 0, 0,
                    mib(7606), 0L, 38, null, null));
        }

        @Test
        void headerlessTeslaP4IsRefusedWhenReadInTheDefaultFieldOrder() {
            // Its 12 fields are not ours; read as index, uuid, name, ... the 7th value lands in utilization.memory.
            String output = NvidiaSmiFixtures.read("query-gpu-noheader-nounits-tesla-p4-x1-not-supported-EMBEDDED.csv");

            assertThatThrownBy(() -> NvidiaSmiCsvParser.parseGpus(output))
                    .isInstanceOf(NvidiaSmiParseException.class)
                    .hasMessageStartingWith("line 1, column utilization.memory: 'Tesla P4' is not a number in %")
                    .hasMessageContaining("without a header");
        }

        @Test
        void crlfLineEndingsReadTheSameAsLf() {
            String lf = NvidiaSmiFixtures.read("query-gpu-h100-80gb-hbm3-x1-590.48.01-load.csv");
            String multiRowLf = NvidiaSmiFixtures.read("query-gpu-nounits-h100-80gb-hbm3-x8-535.161.07-EDITED.csv");

            assertThat(NvidiaSmiCsvParser.parseGpus(lf.replace("\n", "\r\n")))
                    .isEqualTo(NvidiaSmiCsvParser.parseGpus(lf));
            assertThat(NvidiaSmiCsvParser.parseGpus(multiRowLf.replace("\n", "\r\n")))
                    .hasSize(8)
                    .isEqualTo(NvidiaSmiCsvParser.parseGpus(multiRowLf));
        }

        @Test
        void headerlessOutputOfOurOwnQueryMatchesTheSameValuesWithAHeader() {
            // The H100 load fixture's values, printed in NvidiaSmiCommands.GPU_FIELDS order with noheader,nounits.
            String headerless = "0, " + MASKED_UUID + ", NVIDIA H100 80GB HBM3, 00000000:00:09.0, 590.48.01, "
                    + "100, 11, 81559, 19818, 59, 631.95, 700.00\n";

            assertThat(NvidiaSmiCsvParser.parseGpus(headerless)).isEqualTo(NvidiaSmiCsvParser.parseGpus(
                    NvidiaSmiFixtures.read("query-gpu-h100-80gb-hbm3-x1-590.48.01-load.csv")));
        }

        @Test
        void aValueInTheWrongUnitNamesLineAndColumn() {
            String output = NvidiaSmiFixtures.read("query-gpu-h100-80gb-hbm3-x1-590.48.01-load.csv")
                    .replace("631.95 W", "631.95 kW");

            assertThatThrownBy(() -> NvidiaSmiCsvParser.parseGpus(output))
                    .isInstanceOf(NvidiaSmiParseException.class)
                    .hasMessage("line 2, column power.draw: '631.95 kW' is not a number in W");
        }

        @Test
        void aFractionInAWholeNumberColumnNamesLineAndColumn() {
            // temperature.gpu is followed by temperature.memory, the only N/A in this row.
            String output = NvidiaSmiFixtures.read("query-gpu-nounits-tesla-t4-x1-550.54.15-EDITED.csv")
                    .replace(", 26, N/A,", ", 26.5, N/A,");

            assertThatThrownBy(() -> NvidiaSmiCsvParser.parseGpus(output))
                    .isInstanceOf(NvidiaSmiParseException.class)
                    .hasMessage("line 2, column temperature.gpu: '26.5' is not a whole number that fits an int");
        }
    }

    @Nested
    class QueryComputeAppsFixtures {

        @Test
        void h100UnderLoad() {
            List<GpuProcessSample> processes = NvidiaSmiCsvParser.parseComputeApps(
                    NvidiaSmiFixtures.read("query-compute-apps-h100-80gb-hbm3-x1-590.48.01-load.csv"));

            assertThat(processes).containsExactly(
                    new GpuProcessSample(MASKED_UUID, 11327, "/root/tools/memhog", mib(2566)),
                    new GpuProcessSample(MASKED_UUID, 11328, "/root/tools/memhog", mib(1542)),
                    new GpuProcessSample(MASKED_UUID, 11345, "./gpu_burn", mib(15690)));
        }

        @Test
        void headerOnlyMeansNoProcesses() {
            List<GpuProcessSample> processes = NvidiaSmiCsvParser.parseComputeApps(
                    NvidiaSmiFixtures.read("query-compute-apps-h100-80gb-hbm3-x1-590.48.01-idle-header-only.csv"));

            assertThat(processes).isEmpty();
        }

        @Test
        void h100WithMigEnabled() {
            List<GpuProcessSample> processes = NvidiaSmiCsvParser.parseComputeApps(
                    NvidiaSmiFixtures.read("query-compute-apps-h100-mig-enabled-x1-590.48.01-load.csv"));

            assertThat(processes).containsExactly(
                    new GpuProcessSample(MASKED_UUID, 21180, "/root/tools/memhog", mib(2296)),
                    new GpuProcessSample(MASKED_UUID, 21181, "/root/tools/memhog", mib(1272)),
                    new GpuProcessSample(MASKED_UUID, 21198, "./gpu_burn", mib(7484)));
        }

        @Test
        void windowsWddmHasPathsWithSpacesAndNoMemoryPerProcess() {
            List<GpuProcessSample> processes = NvidiaSmiCsvParser.parseComputeApps(
                    NvidiaSmiFixtures.read("query-compute-apps-rtx2080super-windows-wddm-x1-610.62-load.csv"));

            assertThat(processes).extracting(GpuProcessSample::pid).containsExactly(
                    2140L, 13264L, 13504L, 13160L, 14872L, 14808L, 16760L, 17648L, 15964L, 17840L, 19052L,
                    20440L, 21912L, 22412L, 23480L, 23988L, 19956L, 2164L, 13092L, 12940L, 13820L);
            assertThat(processes).allSatisfy(process -> {
                assertThat(process.gpuUuid()).isEqualTo(MASKED_UUID);
                assertThat(process.usedMemoryBytes()).isNull();
            });
            assertThat(processes.get(0).processName()).isEqualTo("C:\\Windows\\System32\\dwm.exe");
            assertThat(processes.get(9).processName()).isEqualTo(
                    "C:\\Program Files (x86)\\Microsoft\\EdgeWebView\\Application\\149.0.4022.80\\msedgewebview2.exe");
        }

        @Test
        void aCommaInAProcessNameStaysInTheName() {
            // No fixture has one; this puts one into a real Windows row.
            String output = NvidiaSmiFixtures.read("query-compute-apps-rtx2080super-windows-wddm-x1-610.62-load.csv")
                    .replace("Controller Companion\\ControllerCompanion.exe",
                            "Controller Companion, v2,beta\\ControllerCompanion.exe");

            List<GpuProcessSample> processes = NvidiaSmiCsvParser.parseComputeApps(output);

            assertThat(processes).hasSize(21).filteredOn(process -> process.pid() == 20440).singleElement()
                    .isEqualTo(new GpuProcessSample(MASKED_UUID, 20440,
                            "C:\\Program Files\\Controller Companion, v2,beta\\ControllerCompanion.exe", null));
        }

        @Test
        void crlfLineEndingsReadTheSameAsLf() {
            String lf = NvidiaSmiFixtures.read("query-compute-apps-rtx2080super-windows-wddm-x1-610.62-load.csv");

            assertThat(NvidiaSmiCsvParser.parseComputeApps(lf.replace("\n", "\r\n")))
                    .hasSize(21)
                    .isEqualTo(NvidiaSmiCsvParser.parseComputeApps(lf));
        }
    }

    @Nested
    class EdgeCases {

        @ParameterizedTest
        @ValueSource(strings = {"", "\n", "\r\n\r\n"})
        void noOutputMeansNoGpusAndNoProcesses(String output) {
            assertThat(NvidiaSmiCsvParser.parseGpus(output)).isEmpty();
            assertThat(NvidiaSmiCsvParser.parseComputeApps(output)).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"[N/A]", "N/A", "[Not Supported]", "[Insufficient Permissions]", "[Unknown Error]",
                "[GPU is lost]", ""})
        void missingValueMarkersAreAbsentNotZero(String marker) {
            String output = "index, uuid, utilization.gpu [%], memory.used [MiB], temperature.gpu, power.draw [W]\n"
                    + String.join(", ", "0", marker, marker, marker, marker, marker) + "\n";

            assertThat(onlyGpu(output)).isEqualTo(
                    new GpuSample(0, null, null, null, null, null, null, null, null, null, null, null));
        }

        @Test
        void valuesWithAndWithoutUnitsAndExtraSpacesReadTheSame() {
            String withUnits = "index, memory.total [MiB], utilization.gpu [%], power.draw [W]\n0, 81559 MiB, 45 %, 70.12 W";
            String nounits = "index,memory.total [MiB],   utilization.gpu [%],power.draw [W]\n0,81559,   45  ,  70.12";

            assertThat(onlyGpu(withUnits)).isEqualTo(onlyGpu(nounits)).isEqualTo(
                    new GpuSample(0, null, null, null, null, 45, null, mib(81559), null, null, 70.12, null));
        }

        @ParameterizedTest
        @ValueSource(strings = {"81559 GiB", "81559MiB", "8.1e4", "-1", "0x13EA7", "lots"})
        void malformedNumberInAKnownColumnIsAnError(String value) {
            String output = "index, memory.total [MiB]\n0, 1\n1, " + value + "\n";

            assertThatThrownBy(() -> NvidiaSmiCsvParser.parseGpus(output))
                    .isInstanceOf(NvidiaSmiParseException.class)
                    .hasMessageStartingWith("line 3, column memory.total: '" + value + "'");
        }

        @Test
        void malformedValueInAColumnNotReadIsIgnored() {
            String output = "index, fan.speed [%], pstate\n0, fast, P-nothing\n";

            assertThat(onlyGpu(output).index()).isZero();
        }

        @Test
        void errorMessageFromNvidiaSmiIsRefusedWithItsLineNumber() {
            String output = "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. "
                    + "Make sure that the latest NVIDIA driver is installed and running.\n";

            assertThatThrownBy(() -> NvidiaSmiCsvParser.parseGpus(output))
                    .isInstanceOf(NvidiaSmiParseException.class)
                    .hasMessageStartingWith("line 1: 1 values where 12 columns were expected")
                    .hasMessageContaining("NVIDIA-SMI has failed");
        }

        @Test
        void rowWithTooFewValuesIsRefusedWithItsLineNumber() {
            String output = "\nindex, uuid, name\n0, GPU-a, Tesla T4\n1, GPU-b\n";

            assertThatThrownBy(() -> NvidiaSmiCsvParser.parseGpus(output))
                    .isInstanceOf(NvidiaSmiParseException.class)
                    .hasMessage("line 4: 2 values where 3 columns were expected: '1, GPU-b'");
        }

        @Test
        void processWithoutPidIsRefused() {
            String output = "gpu_uuid, pid, process_name\nGPU-a, [N/A], python\n";

            assertThatThrownBy(() -> NvidiaSmiCsvParser.parseComputeApps(output))
                    .isInstanceOf(NvidiaSmiParseException.class)
                    .hasMessageStartingWith("line 2: a process needs gpu_uuid and pid");
        }

        @Test
        void headerlessComputeAppsAreReadInOurQueryOrder() {
            String output = "GPU-a, 11327, /root/tools/memhog, 2566\nGPU-a, 11345, ./gpu_burn, [N/A]\n";

            assertThat(NvidiaSmiCsvParser.parseComputeApps(output)).containsExactly(
                    new GpuProcessSample("GPU-a", 11327, "/root/tools/memhog", mib(2566)),
                    new GpuProcessSample("GPU-a", 11345, "./gpu_burn", null));
        }

        @Test
        void usedMemoryIsReadUnderEitherOfItsNames() {
            String output = "gpu_uuid, pid, used_memory [MiB]\nGPU-a, 7, 12 MiB\n";

            assertThat(NvidiaSmiCsvParser.parseComputeApps(output))
                    .containsExactly(new GpuProcessSample("GPU-a", 7, null, mib(12)));
        }
    }
}
