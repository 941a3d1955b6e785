package io.mailflow.core.organization;

/** Receive connector AuthMechanism values (exchange.md §1.1). */
public enum AuthMechanism {
    None, Tls, Integrated, BasicAuth, BasicAuthRequireTLS, ExchangeServer, ExternalAuthoritative
}
