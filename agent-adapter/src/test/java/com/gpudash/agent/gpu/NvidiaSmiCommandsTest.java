package com.gpudash.agent.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NvidiaSmiCommandsTest {

    /** The H100 capture holds the driver's own --help-query-gpu and --help-query-compute-apps output. */
    private static final String HELP_CAPTURE = "raw/linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01.txt";

    @Test
    void everyFieldWeQueryIsOneTheDriverDocuments() {
        String help = NvidiaSmiFixtures.read(HELP_CAPTURE);

        // The help lists each field in double quotes: "power.draw", "used_gpu_memory" or "used_memory".
        assertThat(NvidiaSmiCommands.GPU_FIELDS).allSatisfy(field -> assertThat(help).contains('"' + field + '"'));
        assertThat(NvidiaSmiCommands.COMPUTE_APP_FIELDS)
                .allSatisfy(field -> assertThat(help).contains('"' + field + '"'));
    }

    @Test
    void queriesAskForCsvWithoutUnitsAndKeepTheHeader() {
        assertThat(NvidiaSmiCommands.QUERY_GPUS).containsExactly("nvidia-smi",
                "--query-gpu=index,uuid,name,pci.bus_id,driver_version,utilization.gpu,utilization.memory,"
                        + "memory.total,memory.used,temperature.gpu,power.draw,power.limit",
                "--format=csv,nounits");
        assertThat(NvidiaSmiCommands.QUERY_COMPUTE_APPS).containsExactly("nvidia-smi",
                "--query-compute-apps=gpu_uuid,pid,process_name,used_memory", "--format=csv,nounits");
    }
}
