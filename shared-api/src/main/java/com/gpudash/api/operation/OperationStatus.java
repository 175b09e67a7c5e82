package com.gpudash.api.operation;

public enum OperationStatus { PENDING, RUNNING, SUCCEEDED, FAILED }
