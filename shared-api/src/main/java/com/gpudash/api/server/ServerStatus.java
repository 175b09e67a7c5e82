package com.gpudash.api.server;

/** UNKNOWN until the first poll has reached (or failed to reach) the server. */
public enum ServerStatus { UNKNOWN, ONLINE, OFFLINE }
