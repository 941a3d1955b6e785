package io.mailflow.core.organization;

/** Get-ExchangeServer ServerRole in Exchange 2016/2019: a Mailbox server or an Edge Transport server. */
public enum ServerRole { Mailbox, Edge }
