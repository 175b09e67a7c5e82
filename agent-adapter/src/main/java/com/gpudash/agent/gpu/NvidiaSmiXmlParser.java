package com.gpudash.agent.gpu;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads {@code nvidia-smi -q -x} output; the fixtures span DTD versions v9 to v13 (drivers 384 to 595).
 *
 * <p>A GPU's {@code index} is the position of its {@code <gpu>} element: nvidia-smi lists GPUs in its own index
 * order, the one {@code --query-gpu=index} reports. {@code <minor_number>} is the {@code /dev/nvidiaN} number and
 * is not that order (see the K80 and RTX A5000 fixtures).
 *
 * <p>Values are read from the GPU's own child elements only: under MIG, each {@code <mig_device>} repeats
 * {@code <fb_memory_usage>} for its slice, and {@code <accounted_processes>} lists processes that have ended.
 */
public final class NvidiaSmiXmlParser {

    /**
     * What CSV {@code power.draw} reports, under each DTD's names: {@code power_readings/power_draw} (v9 to v11),
     * {@code gpu_power_readings/power_draw} (v12), and in v13 {@code average_power_draw}, or
     * {@code instant_power_draw} on GPUs older than Ampere, which have no average.
     */
    private static final List<String> POWER_DRAW_PATHS = List.of(
            "power_readings/power_draw",
            "gpu_power_readings/power_draw",
            "gpu_power_readings/average_power_draw",
            "gpu_power_readings/instant_power_draw");

    /**
     * What CSV {@code power.limit} reports, which {@code --help-query-gpu} also names
     * {@code gpu.power.requested_limit}: {@code power_limit} up to v11, {@code requested_power_limit} from v12.
     * {@code enforced_power_limit} and its successor {@code current_power_limit} are the enforced limit instead,
     * CSV {@code enforced.power.limit}.
     */
    private static final List<String> POWER_LIMIT_PATHS = List.of(
            "power_readings/power_limit",
            "gpu_power_readings/requested_power_limit");

    private NvidiaSmiXmlParser() {
    }

    public static GpuSnapshot parse(String xml) {
        Element log = parseDocument(xml).getDocumentElement();
        if (!log.getTagName().equals("nvidia_smi_log")) {
            throw new NvidiaSmiParseException("not nvidia-smi -q -x output: the root element is <"
                    + log.getTagName() + ">, not <nvidia_smi_log>");
        }
        String driverVersion = text(log, "driver_version");
        List<GpuSample> gpus = new ArrayList<>();
        List<GpuProcessSample> processes = new ArrayList<>();
        List<Element> gpuElements = children(log, "gpu");
        for (int index = 0; index < gpuElements.size(); index++) {
            Element gpu = gpuElements.get(index);
            String where = "<gpu id=\"" + gpu.getAttribute("id") + "\">";
            String uuid = text(gpu, "uuid");
            gpus.add(new GpuSample(
                    index,
                    uuid,
                    text(gpu, "product_name"),
                    text(gpu, "pci/pci_bus_id"),
                    driverVersion,
                    number(gpu, where, List.of("utilization/gpu_util"), "%", NvidiaSmiValues::toInteger),
                    number(gpu, where, List.of("utilization/memory_util"), "%", NvidiaSmiValues::toInteger),
                    number(gpu, where, List.of("fb_memory_usage/total"), "MiB", NvidiaSmiValues::mebibytesToBytes),
                    number(gpu, where, List.of("fb_memory_usage/used"), "MiB", NvidiaSmiValues::mebibytesToBytes),
                    number(gpu, where, List.of("temperature/gpu_temp"), "C", NvidiaSmiValues::toInteger),
                    number(gpu, where, POWER_DRAW_PATHS, "W", NvidiaSmiValues::toDouble),
                    number(gpu, where, POWER_LIMIT_PATHS, "W", NvidiaSmiValues::toDouble)));
            Element processList = element(gpu, "processes");
            if (processList != null) {
                for (Element process : children(processList, "process_info")) {
                    processes.add(toProcessSample(process, uuid, where + " <process_info>"));
                }
            }
        }
        return new GpuSnapshot(gpus, processes);
    }

    private static GpuProcessSample toProcessSample(Element process, String gpuUuid, String where) {
        Long pid = number(process, where, List.of("pid"), null, NvidiaSmiValues::toLong);
        if (gpuUuid == null || pid == null) {
            throw new NvidiaSmiParseException(where + ": a process needs its GPU's uuid and a pid, found "
                    + gpuUuid + " and " + pid);
        }
        return new GpuProcessSample(gpuUuid, pid, text(process, "process_name"),
                number(process, where, List.of("used_memory"), "MiB", NvidiaSmiValues::mebibytesToBytes));
    }

    /** The first of {@code paths} that holds a value, converted; {@code null} when none does. */
    private static <V> V number(Element parent, String where, List<String> paths, String unit,
                                Function<String, V> convert) {
        for (String path : paths) {
            Element element = element(parent, path);
            if (element == null) {
                continue;
            }
            String value = element.getTextContent().strip();
            try {
                String digits = NvidiaSmiValues.number(value, unit);
                if (digits != null) {
                    return convert.apply(digits);
                }
            } catch (IllegalArgumentException e) {
                throw new NvidiaSmiParseException(where + " " + path + ": '" + value + "' is " + e.getMessage(), e);
            }
        }
        return null;
    }

    private static String text(Element parent, String path) {
        Element element = element(parent, path);
        return element == null ? null : NvidiaSmiValues.text(element.getTextContent().strip());
    }

    /** Follows a path of child element names, such as {@code pci/pci_bus_id}; {@code null} where it ends early. */
    private static Element element(Element parent, String path) {
        Element current = parent;
        for (String name : path.split("/")) {
            List<Element> matches = children(current, name);
            if (matches.isEmpty()) {
                return null;
            }
            current = matches.get(0);
        }
        return current;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> matches = new ArrayList<>();
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element && element.getTagName().equals(name)) {
                matches.add(element);
            }
        }
        return matches;
    }

    private static Document parseDocument(String xml) {
        try {
            DocumentBuilder builder = newSecureBuilder();
            // The default handler prints fatal errors to stderr before throwing; this one only throws.
            builder.setErrorHandler(new DefaultHandler());
            return builder.parse(new InputSource(new StringReader(xml)));
        } catch (SAXParseException e) {
            throw new NvidiaSmiParseException("not well-formed XML at line " + e.getLineNumber() + ", column "
                    + e.getColumnNumber() + ": " + e.getMessage(), e);
        } catch (SAXException | IOException e) {
            throw new NvidiaSmiParseException("cannot read the XML: " + e.getMessage(), e);
        }
    }

    /**
     * nvidia-smi output names its DTD ({@code <!DOCTYPE nvidia_smi_log SYSTEM "nvsmi_device_v12.dtd">}), a file that
     * is not where we parse and must not be fetched; nor may any external entity in output from a host we do not
     * control. The JDK's own parser is asked for, since these feature names are its.
     */
    private static DocumentBuilder newSecureBuilder() {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
        try {
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            return factory.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser refused a security setting", e);
        }
    }
}
