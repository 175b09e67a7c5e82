package com.gpudash.saga.provisioning;

/** The payload of the deadline that ends a provisioning that takes too long; it carries the limit for the reason. */
record ProvisioningTimeout(long seconds) {
}
