package com.gpudash.query.web;

import com.gpudash.api.DomainException;

/** {@code ?page=0&size=50}, size at most 500, as the contract says for every list. */
public record PageRequest(int page, int size) {

    public static final int MAX_SIZE = 500;

    public static PageRequest of(Integer page, Integer size) {
        int p = page == null ? 0 : page;
        int s = size == null ? 50 : size;
        if (p < 0) {
            throw DomainException.invalid("page must be 0 or more, got " + p);
        }
        if (s < 1 || s > MAX_SIZE) {
            throw DomainException.invalid("size must be from 1 to " + MAX_SIZE + ", got " + s);
        }
        return new PageRequest(p, s);
    }

    public long offset() {
        return (long) page * size;
    }
}
