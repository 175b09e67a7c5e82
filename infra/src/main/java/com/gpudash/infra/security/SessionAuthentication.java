package com.gpudash.infra.security;


import com.gpudash.api.user.Permission;
import com.gpudash.api.user.Caller;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A request authenticated by a live session of an ACTIVE user. Its authorities are the permissions of the
 * user's role. {@code viaCookie} tells whether the token came in the cookie, which a browser sends by itself
 * and so needs the same-origin check on state-changing calls.
 */
final class SessionAuthentication extends AbstractAuthenticationToken {

    private final Caller caller;
    private final boolean viaCookie;

    SessionAuthentication(Caller caller, boolean viaCookie) {
        super(Permission.heldBy(caller.role()).stream().map(p -> new SimpleGrantedAuthority(p.name())).toList());
        this.caller = caller;
        this.viaCookie = viaCookie;
        setAuthenticated(true);
    }

    Caller caller() {
        return caller;
    }

    boolean viaCookie() {
        return viaCookie;
    }

    boolean holds(Permission permission) {
        return getAuthorities().contains(new SimpleGrantedAuthority(permission.name()));
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return caller;
    }

    @Override
    public String getName() {
        return caller.username();
    }
}
