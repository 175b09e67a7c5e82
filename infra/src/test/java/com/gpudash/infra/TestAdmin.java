package com.gpudash.infra;

/** The administrator that start-up creates in the test databases (bcrypt cost 4 there keeps tests fast). */
public final class TestAdmin {

    public static final String USERNAME = "gpuadmin";
    public static final String PASSWORD = "admin-password-for-tests";

    private TestAdmin() {
    }
}
