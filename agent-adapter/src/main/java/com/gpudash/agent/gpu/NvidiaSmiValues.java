package com.gpudash.agent.gpu;

import java.util.regex.Pattern;

/** How nvidia-smi writes a single value; the same in its CSV and XML outputs. */
final class NvidiaSmiValues {

    private static final long BYTES_PER_MIB = 1024L * 1024L;
    private static final Pattern PLAIN_NUMBER = Pattern.compile("\\d+(\\.\\d+)?");

    private NvidiaSmiValues() {
    }

    /**
     * nvidia-smi writes a missing value as {@code N/A}, as nothing at all, or as its reason in brackets:
     * {@code [N/A]}, {@code [Not Supported]}, {@code [Insufficient Permissions]}, {@code [Unknown Error]},
     * {@code [Function Not Found]}... Any bracketed value is such a reason, so new reasons need no code.
     */
    static boolean isAbsent(String value) {
        return value.isEmpty() || value.equals("N/A") || (value.startsWith("[") && value.endsWith("]"));
    }

    static String text(String value) {
        return isAbsent(value) ? null : value;
    }

    /**
     * The digits of a number that nvidia-smi writes either bare ({@code --format=csv,nounits}, and temperatures
     * in CSV) or followed by a space and its unit ({@code 81559 MiB}, {@code 45 %}, {@code 70.12 W}, {@code 35 C}).
     *
     * @param unit the only unit accepted after the number; {@code null} for a bare count such as a pid
     * @return {@code null} when the value is absent
     * @throws IllegalArgumentException when it is neither absent nor a number (in {@code unit})
     */
    static String number(String value, String unit) {
        if (isAbsent(value)) {
            return null;
        }
        String suffix = " " + unit;
        String digits = unit != null && value.endsWith(suffix) ? value.substring(0, value.length() - suffix.length()) : value;
        if (!PLAIN_NUMBER.matcher(digits).matches()) {
            throw new IllegalArgumentException(unit == null ? "not a number" : "not a number in " + unit);
        }
        return digits;
    }

    static Integer toInteger(String digits) {
        try {
            return Integer.valueOf(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number that fits an int", e);
        }
    }

    static Long toLong(String digits) {
        try {
            return Long.valueOf(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number that fits a long", e);
        }
    }

    static Double toDouble(String digits) {
        return Double.valueOf(digits);
    }

    static Long mebibytesToBytes(String digits) {
        try {
            return Math.multiplyExact(toLong(digits), BYTES_PER_MIB);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("too many MiB to count in bytes", e);
        }
    }
}
