package io.firehosesse.sts;

import io.firehosesse.auth.Credential;
import java.time.format.DateTimeFormatter;

/** STS's XML answers, element names and order as AWS writes them. */
final class StsXml {

    private static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

    private StsXml() {
    }

    record Identity(String arn, String userId, String account) {
    }

    record AssumedRole(Credential credentials, String assumedRoleId) {
    }

    static String response(String action, String result, String requestId) {
        return "<" + action + "Response xmlns=\"" + NAMESPACE + "\">\n  <" + action + "Result>\n" + result + "  </" + action
                + "Result>\n  <ResponseMetadata>\n    <RequestId>" + escape(requestId) + "</RequestId>\n  </ResponseMetadata>\n</"
                + action + "Response>\n";
    }

    static String callerIdentity(Identity identity) {
        return element("Arn", identity.arn()) + element("UserId", identity.userId()) + element("Account", identity.account());
    }

    static String sessionToken(Credential issued) {
        return credentials(issued);
    }

    static String assumedRole(AssumedRole assumed) {
        return "    <AssumedRoleUser>\n  " + element("Arn", assumed.credentials().principalArn()) + "  "
                + element("AssumedRoleId", assumed.assumedRoleId()) + "    </AssumedRoleUser>\n"
                + credentials(assumed.credentials());
    }

    static String error(StsException error, String requestId) {
        return "<ErrorResponse xmlns=\"" + NAMESPACE + "\">\n  <Error>\n    <Type>" + (error.status() >= 500 ? "Receiver" : "Sender")
                + "</Type>\n    <Code>" + escape(error.code()) + "</Code>\n    <Message>" + escape(error.getMessage())
                + "</Message>\n  </Error>\n  <RequestId>" + escape(requestId) + "</RequestId>\n</ErrorResponse>\n";
    }

    private static String credentials(Credential issued) {
        return "    <Credentials>\n  " + element("AccessKeyId", issued.accessKeyId()) + "  "
                + element("SecretAccessKey", issued.secretAccessKey()) + "  " + element("SessionToken", issued.sessionToken())
                + "  " + element("Expiration", DateTimeFormatter.ISO_INSTANT.format(issued.expiresAt())) + "    </Credentials>\n";
    }

    private static String element(String name, String value) {
        return "    <" + name + ">" + escape(value) + "</" + name + ">\n";
    }

    static String escape(String value) {
        if (value == null) {
            return "";
        }
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
