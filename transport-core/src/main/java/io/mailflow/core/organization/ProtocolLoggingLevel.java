package io.mailflow.core.organization;

/** Whether a connector writes the SMTP protocol log. */
public enum ProtocolLoggingLevel { None, Verbose }
