package io.firehosesse.console;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The console's pages. Each is a fixed HTML shell whose script fills it from the REST API, so the console shows
 * exactly what {@code /api} answers and needs no view code of its own. The pages live outside {@code static/}
 * so they are only reachable here, where they get their security policy: scripts and styles from this origin
 * only, which keeps a hostile string in a stream's data (a key ARN as given, a KMS error text) inert even if a
 * script ever put it into the page as markup.
 */
@Controller
class ConsolePages {

    static final String SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static final MediaType HTML = MediaType.parseMediaType("text/html;charset=UTF-8");

    private final Resource streams = new ClassPathResource("console/streams.html");
    private final Resource stream = new ClassPathResource("console/stream.html");
    private final Resource audit = new ClassPathResource("console/audit.html");

    @GetMapping({"/console", "/console/"})
    ResponseEntity<Resource> streams() {
        return page(streams);
    }

    /** The stream is read from the path by the page's script; an unknown one is reported there, as the API says it. */
    @GetMapping("/console/streams/{name}")
    ResponseEntity<Resource> stream() {
        return page(stream);
    }

    @GetMapping("/console/audit")
    ResponseEntity<Resource> audit() {
        return page(audit);
    }

    private static ResponseEntity<Resource> page(Resource page) {
        return ResponseEntity.ok()
                .contentType(HTML)
                .cacheControl(CacheControl.noCache())
                .header("Content-Security-Policy", SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .body(page);
    }
}
