package com.gpudash.query.audit;

import java.util.List;

import com.gpudash.api.audit.AuditEntryView;

/**
 * A page of the audit log: the contract's list shape {@code {items, total, page, size}} and {@code totalExact}.
 * Counting every entry of a filter that matches a large part of a million-entry log costs seconds, so the count
 * stops {@link AuditLogSql#COUNT_AHEAD} entries past the page's start: when it stopped, {@code total} is a
 * lower bound (there are at least that many entries, so at least one more page) and {@code totalExact} is false.
 */
public record AuditLogPage(List<AuditEntryView> items, long total, boolean totalExact, int page, int size) {
}
