package com.gpudash.agent.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code xml-*} fixture ({@code nvidia-smi -q -x}), with expected values read by hand from the fixture files.
 * The {@code nvidia-smi-table-*} and {@code nvidia-smi-q-text-*} fixtures are not covered: they are the
 * human-readable table and {@code -q} report, which the adapter never asks for and which are not XML.
 */
class NvidiaSmiXmlParserTest {

    private static long mib(long mebibytes) {
        return mebibytes * 1024 * 1024;
    }

    private static GpuSnapshot parseFixture(String fileName) {
        return NvidiaSmiXmlParser.parse(NvidiaSmiFixtures.read(fileName));
    }

    @Nested
    class Fixtures {

        @Test
        void teslaK80x4IsIndexedInDocumentOrderNotByMinorNumber() {
            GpuSnapshot snapshot = parseFixture("xml-tesla-k80-x4-430.26.xml");

            // minor_number runs 1, 2, 3, 0 here; nvidia-smi's index follows the (PCI) order of the <gpu> elements.
            assertThat(snapshot.gpus()).containsExactly(
                    new GpuSample(0, "GPU-c3b26f7a-8dcb-619c-fa1b-8029265a4db0", "Tesla K80", "00001580:00:00.0",
                            "430.26", 99, 29, mib(11441), mib(587), 64, 135.72, 149.00),
                    new GpuSample(1, "GPU-b01b80eb-0f18-1df0-cf88-0725bd90f1e1", "Tesla K80", "00002DF7:00:00.0",
                            "430.26", 99, 36, mib(11441), mib(587), 69, 139.71, 149.00),
                    new GpuSample(2, "GPU-30bc2701-3bc2-5f35-0ebd-9867a077e138", "Tesla K80", "00004968:00:00.0",
                            "430.26", 0, 0, mib(11441), 0L, 28, 32.27, 149.00),
                    new GpuSample(3, "GPU-3341aba2-f01d-2c1f-7dd4-e389779faec2", "Tesla K80", "0000F8D6:00:00.0",
                            "430.26", 0, 0, mib(11441), 0L, 26, 34.44, 149.00));
            assertThat(snapshot.processes()).containsExactly(
                    new GpuProcessSample("GPU-c3b26f7a-8dcb-619c-fa1b-8029265a4db0", 58813, "python", mib(576)),
                    new GpuProcessSample("GPU-b01b80eb-0f18-1df0-cf88-0725bd90f1e1", 58642, "python", mib(576)));
        }

        @Test
        void teslaV100Sx8IgnoresAccountedProcesses() {
            GpuSnapshot snapshot = parseFixture("xml-tesla-v100s-pcie-32gb-x8-460.73.01.xml");

            String name = "Tesla V100S-PCIE-32GB";
            assertThat(snapshot.gpus()).containsExactly(
                    new GpuSample(0, "GPU-76098dc1-d3bc-9a1b-7ea6-f7b48837829e", name, "00000000:00:0D.0",
                            "460.73.01", 97, 52, mib(32510), mib(31689), 66, 232.80, 250.00),
                    new GpuSample(1, "GPU-bbf7a241-bf9a-eb90-b2fb-d213294faf48", name, "00000000:00:0E.0",
                            "460.73.01", 75, 41, mib(32510), mib(29545), 58, 152.03, 250.00),
                    new GpuSample(2, "GPU-8f75e71c-23dd-a060-d997-4caf592954db", name, "00000000:00:0F.0",
                            "460.73.01", 80, 42, mib(32510), mib(29539), 57, 67.57, 250.00),
                    new GpuSample(3, "GPU-3181eb56-505c-8214-ba05-c132f68f89b8", name, "00000000:00:10.0",
                            "460.73.01", 23, 12, mib(32510), mib(32099), 61, 198.41, 250.00),
                    new GpuSample(4, "GPU-2aa87d54-d4ff-2900-812b-1a4b7e119583", name, "00000000:00:11.0",
                            "460.73.01", 98, 55, mib(32510), mib(29517), 59, 117.99, 250.00),
                    new GpuSample(5, "GPU-39c3a168-9034-0b5a-223a-1042f30a9242", name, "00000000:00:12.0",
                            "460.73.01", 98, 50, mib(32510), mib(32141), 64, 85.80, 250.00),
                    new GpuSample(6, "GPU-d2446f91-171e-1b54-515d-9d9b03484ddf", name, "00000000:00:13.0",
                            "460.73.01", 91, 22, mib(32510), mib(32157), 61, 68.14, 250.00),
                    new GpuSample(7, "GPU-1d955959-c95b-4f40-2cac-100d3006ffe2", name, "00000000:00:14.0",
                            "460.73.01", 99, 4, mib(32510), mib(29501), 57, 61.47, 250.00));
            // One running process per GPU; the 69 <accounted_process_info> entries are processes that have ended.
            assertThat(snapshot.processes()).containsExactly(
                    new GpuProcessSample("GPU-76098dc1-d3bc-9a1b-7ea6-f7b48837829e", 37305, "python", mib(31683)),
                    new GpuProcessSample("GPU-bbf7a241-bf9a-eb90-b2fb-d213294faf48", 37305, "python", mib(29539)),
                    new GpuProcessSample("GPU-8f75e71c-23dd-a060-d997-4caf592954db", 37305, "python", mib(29533)),
                    new GpuProcessSample("GPU-3181eb56-505c-8214-ba05-c132f68f89b8", 37305, "python", mib(32093)),
                    new GpuProcessSample("GPU-2aa87d54-d4ff-2900-812b-1a4b7e119583", 37305, "python", mib(29511)),
                    new GpuProcessSample("GPU-39c3a168-9034-0b5a-223a-1042f30a9242", 37305, "python", mib(32135)),
                    new GpuProcessSample("GPU-d2446f91-171e-1b54-515d-9d9b03484ddf", 37305, "python", mib(32151)),
                    new GpuProcessSample("GPU-1d955959-c95b-4f40-2cac-100d3006ffe2", 37305, "python", mib(29495)));
        }

        @Test
        void geforceGtx1070x6InTheOldestSchema() {
            GpuSnapshot snapshot = parseFixture("xml-geforce-gtx1070-x6-384.66.xml");

            String name = "GeForce GTX 1070";
            assertThat(snapshot.gpus()).containsExactly(
                    new GpuSample(0, "GPU-e511a7b2-f9d5-ba47-9b98-853732ca6c1b", name, "00000000:01:00.0",
                            "384.66", 100, 100, mib(8112), mib(2466), 60, 119.47, 180.00),
                    new GpuSample(1, "GPU-28daffaf-8abe-aaf8-c298-4bd13aecb5e6", name, "00000000:03:00.0",
                            "384.66", 100, 100, mib(8114), mib(2294), 59, 139.30, 180.00),
                    new GpuSample(2, "GPU-e342d672-4033-5df9-b938-236756ab729c", name, "00000000:04:00.0",
                            "384.66", 100, 100, mib(8114), mib(2294), 60, 135.12, 180.00),
                    new GpuSample(3, "GPU-93b6a00f-87b9-196d-8c49-4b7e0057e382", name, "00000000:08:00.0",
                            "384.66", 100, 100, mib(8114), mib(2294), 58, 141.53, 180.00),
                    new GpuSample(4, "GPU-cac69485-70a3-0d36-3929-fa6199c37e70", name, "00000000:09:00.0",
                            "384.66", 100, 100, mib(8114), mib(2294), 61, 141.46, 180.00),
                    new GpuSample(5, "GPU-d2c1e3bb-4c4e-4eb7-cbd0-e72265d17c31", name, "00000000:0A:00.0",
                            "384.66", 100, 100, mib(8114), mib(2294), 59, 136.00, 180.00));
            assertThat(snapshot.processes()).containsExactly(
                    new GpuProcessSample("GPU-e511a7b2-f9d5-ba47-9b98-853732ca6c1b", 1357, "/usr/lib/xorg/Xorg", mib(99)),
                    new GpuProcessSample("GPU-e511a7b2-f9d5-ba47-9b98-853732ca6c1b", 2384, "/usr/bin/gnome-shell", mib(79)),
                    new GpuProcessSample("GPU-e511a7b2-f9d5-ba47-9b98-853732ca6c1b", 3093, "./ethminer", mib(2283)),
                    new GpuProcessSample("GPU-28daffaf-8abe-aaf8-c298-4bd13aecb5e6", 3093, "./ethminer", mib(2283)),
                    new GpuProcessSample("GPU-e342d672-4033-5df9-b938-236756ab729c", 3093, "./ethminer", mib(2283)),
                    new GpuProcessSample("GPU-93b6a00f-87b9-196d-8c49-4b7e0057e382", 3093, "./ethminer", mib(2283)),
                    new GpuProcessSample("GPU-cac69485-70a3-0d36-3929-fa6199c37e70", 3093, "./ethminer", mib(2283)),
                    new GpuProcessSample("GPU-d2c1e3bb-4c4e-4eb7-cbd0-e72265d17c31", 3093, "./ethminer", mib(2283)));
        }

        @Test
        void geforceRtx2080Tix2IdleWithNoProcesses() {
            GpuSnapshot snapshot = parseFixture("xml-geforce-rtx2080ti-x2-410.73.xml");

            assertThat(snapshot.gpus()).containsExactly(
                    new GpuSample(0, "GPU-57567e11-0be2-381b-5132-2ad95c262e58", "GeForce RTX 2080 Ti",
                            "00000000:02:00.0", "410.73", 0, 0, mib(10989), 0L, 24, 2.12, 250.00),
                    new GpuSample(1, "GPU-ef1d0068-5bfd-f1e4-7e79-ff35d71d44b8", "GeForce RTX 2080 Ti",
                            "00000000:03:00.0", "410.73", 0, 0, mib(10989), 0L, 24, 19.11, 250.00));
            assertThat(snapshot.processes()).isEmpty();
        }

        @Test
        void rtxA5000x2InSchemaV13ReportsAveragePowerDraw() {
            GpuSnapshot snapshot = parseFixture("xml-rtx-a5000-x2-590.44.01.xml");

            // average_power_draw 6.41 W, instant_power_draw 6.52 W: the average is what CSV power.draw gives.
            assertThat(snapshot.gpus()).containsExactly(
                    new GpuSample(0, "GPU-12345678-aaaa-bbbb-cccc-0123456789ab", "NVIDIA RTX A5000",
                            "00000000:81:00.0", "590.44.01", 0, 0, mib(24564), mib(22437), 13, 6.41, 230.00),
                    new GpuSample(1, "GPU-12345678-aaaa-bbbb-cccc-0123456789cd", "NVIDIA RTX A5000",
                            "00000000:C1:00.0", "590.44.01", 0, 0, mib(24564), mib(17253), 15, 13.60, 230.00));
            assertThat(snapshot.processes()).containsExactly(
                    new GpuProcessSample("GPU-12345678-aaaa-bbbb-cccc-0123456789ab", 100477,
                            "/root/src/llama.cpp/build/bin/llama-server", mib(22430)),
                    new GpuProcessSample("GPU-12345678-aaaa-bbbb-cccc-0123456789cd", 100477,
                            "/root/src/llama.cpp/build/bin/llama-server", mib(17246)));
        }

        @Test
        void rtx4000SffAdaInSchemaV13() {
            GpuSnapshot snapshot = parseFixture("xml-rtx4000-sff-ada-x1-595.84.xml");

            String uuid = "GPU-37037c3f-65c8-ec4d-24a9-420204ad8026";
            assertThat(snapshot.gpus()).containsExactly(new GpuSample(0, uuid,
                    "NVIDIA RTX 4000 SFF Ada Generation", "00000000:06:00.0", "595.84", 0, 37, mib(20475),
                    mib(3534), 38, 8.81, 70.00));
            assertThat(snapshot.processes()).containsExactly(
                    new GpuProcessSample(uuid, 1842, "cosmic-comp", mib(410)),
                    new GpuProcessSample(uuid, 3190, "/usr/bin/code", mib(451)),
                    new GpuProcessSample(uuid, 4937, "python", mib(160)),
                    new GpuProcessSample(uuid, 34626, "/usr/lib/chromium/chromium", mib(183)));
        }

        @Test
        void teslaT4InSchemaV11() {
            GpuSnapshot snapshot = parseFixture("xml-tesla-t4-x1-515.105.01.xml");

            String uuid = "GPU-d37e67a5-91dd-3774-a5cb-99096249601a";
            assertThat(snapshot.gpus()).containsExactly(new GpuSample(0, uuid, "Tesla T4", "00000000:00:1E.0",
                    "515.105.01", 0, 0, mib(15360), mib(1032), 40, 26.78, 70.00));
            assertThat(snapshot.processes()).containsExactly(
                    new GpuProcessSample(uuid, 675, "/usr/lib/xorg/Xorg", mib(22)),
                    new GpuProcessSample(uuid, 5762, "python", mib(1005)));
        }

        @Test
        void a100WithMigReadsTheWholeGpuNotItsMigSlices() {
            GpuSnapshot snapshot = parseFixture("xml-a100-sxm4-80gb-mig-535.54.03.xml");

            // Under MIG, gpu_util and memory_util are N/A; each <mig_device> has its own 19968 MiB fb_memory_usage.
            // The file was trimmed to one <gpu> (attached_gpus says 4), so its index is 0 here.
            assertThat(snapshot.gpus()).containsExactly(new GpuSample(0, "GPU-513536b6-7d19-9063-b049-1e69664bb298",
                    "NVIDIA A100-SXM4-80GB", "00000000:01:00.0", "535.54.03", null, null, mib(81920), mib(50), 27,
                    67.03, 500.00));
            assertThat(snapshot.processes()).isEmpty();
        }
    }

    @Nested
    class Security {

        @Test
        void externalEntitiesAreNotRead(@TempDir Path dir) throws IOException {
            Path secret = Files.writeString(dir.resolve("secret.txt"), "top-secret");
            String xml = "<?xml version=\"1.0\" ?>\n"
                    + "<!DOCTYPE nvidia_smi_log [<!ENTITY secret SYSTEM \"" + secret.toUri() + "\">]>\n"
                    + "<nvidia_smi_log><driver_version>&secret;</driver_version>"
                    + "<gpu id=\"x\"><uuid>GPU-a</uuid><product_name>&secret;</product_name></gpu></nvidia_smi_log>";

            GpuSample gpu = NvidiaSmiXmlParser.parse(xml).gpus().get(0);

            assertThat(gpu.driverVersion()).isNull();
            assertThat(gpu.name()).isNull();
        }

        @Test
        void theExternalDtdIsNotRead(@TempDir Path dir) throws IOException {
            Path dtd = Files.writeString(dir.resolve("nvsmi_device_v12.dtd"), "<!ENTITY name \"from-the-dtd\">");
            String xml = "<?xml version=\"1.0\" ?>\n"
                    + "<!DOCTYPE nvidia_smi_log SYSTEM \"" + dtd.toUri() + "\">\n"
                    + "<nvidia_smi_log><gpu id=\"x\"><uuid>GPU-a</uuid><product_name>&name;</product_name></gpu>"
                    + "</nvidia_smi_log>";

            assertThat(NvidiaSmiXmlParser.parse(xml).gpus().get(0).name()).isNull();
        }
    }

    @Nested
    class EdgeCases {

        @Test
        void malformedXmlIsRefusedWithItsLineNumber() {
            String truncated = NvidiaSmiFixtures.read("xml-tesla-t4-x1-515.105.01.xml").lines().limit(40)
                    .reduce("", (text, line) -> text + line + "\n");

            assertThatThrownBy(() -> NvidiaSmiXmlParser.parse(truncated))
                    .isInstanceOf(NvidiaSmiParseException.class)
                    .hasMessageStartingWith("not well-formed XML at line 41");
        }

        @Test
        void otherXmlIsRefused() {
            assertThatThrownBy(() -> NvidiaSmiXmlParser.parse("<html><body>502 Bad Gateway</body></html>"))
                    .isInstanceOf(NvidiaSmiParseException.class)
                    .hasMessageContaining("<html>");
        }

        @Test
        void malformedNumberNamesTheGpuAndElement() {
            String xml = NvidiaSmiFixtures.read("xml-tesla-t4-x1-515.105.01.xml")
                    .replace("<gpu_temp>40 C</gpu_temp>", "<gpu_temp>40 F</gpu_temp>");

            assertThatThrownBy(() -> NvidiaSmiXmlParser.parse(xml))
                    .isInstanceOf(NvidiaSmiParseException.class)
                    .hasMessage("<gpu id=\"00000000:00:1E.0\"> temperature/gpu_temp: '40 F' is not a number in C");
        }

        @Test
        void instantPowerDrawStandsInWhereThereIsNoAverage() {
            // Pre-Ampere GPUs on a v13 driver: the CSV fixtures of the RTX 2080 SUPER show power.draw.average [N/A].
            String xml = NvidiaSmiFixtures.read("xml-rtx4000-sff-ada-x1-595.84.xml")
                    .replace("<average_power_draw>8.81 W</average_power_draw>",
                            "<average_power_draw>N/A</average_power_draw>");

            assertThat(NvidiaSmiXmlParser.parse(xml).gpus().get(0).powerDrawWatts()).isEqualTo(8.44);
        }
    }
}
