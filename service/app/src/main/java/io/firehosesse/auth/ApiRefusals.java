package io.firehosesse.auth;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Where a refused {@code /api} request is recorded. The audit trail implements it: it sits above this package, which
 * may not reach up to it, so this package owns the port ({@code audit.ApiRefusalAudit}).
 */
public interface ApiRefusals {

    /** @param caller who called, when the signature was good and the refusal is about what it asked; else null */
    void refused(HttpServletRequest request, Caller caller, String code, String message);
}
