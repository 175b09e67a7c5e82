package com.gpudash.query.web;

import java.util.List;

/** The contract's list shape: {@code {items, total, page, size}}. */
public record Page<T>(List<T> items, long total, int page, int size) {
}
