package dev.httpsd.autoconfigure.actuate;

import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.UriHandler;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.web.EndpointLinksResolver;
import org.springframework.boot.actuate.endpoint.web.EndpointMapping;
import org.springframework.boot.actuate.endpoint.web.EndpointMediaTypes;
import org.springframework.boot.actuate.endpoint.web.ExposableWebEndpoint;
import org.springframework.boot.actuate.endpoint.web.WebOperation;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;

/**
 * The URI handlers that make the exposed web endpoints available on one httpsd server: every
 * operation at its path under the base path, the links page at the base path, and the health
 * groups' additional paths of this server's namespace. Handlers are ordered so that the core's
 * first-match routing picks what Spring MVC's specificity would: literal paths, then paths with
 * fewer variables, then paths that take the rest of the path.
 */
final class ActuatorRoutes {

    private final Collection<ExposableWebEndpoint> endpoints;
    private final EndpointMapping mapping;
    private final String serverBasePath;
    private final boolean links;
    private final EndpointMediaTypes mediaTypes;
    private final HealthEndpointGroups groups;
    private final EndpointResponses responses;

    /**
     * @param mapping the endpoints' base path, {@code management.server.base-path} included
     * @param serverBasePath {@code management.server.base-path}, under which additional health
     *     paths live
     * @param links whether the links page (discovery) is served at the base path
     * @param groups the health groups, or {@code null} without health
     */
    ActuatorRoutes(
            Collection<ExposableWebEndpoint> endpoints,
            EndpointMapping mapping,
            String serverBasePath,
            boolean links,
            EndpointMediaTypes mediaTypes,
            HealthEndpointGroups groups,
            EndpointResponses responses) {
        this.endpoints = endpoints;
        this.mapping = mapping;
        this.serverBasePath = serverBasePath;
        this.links = links;
        this.mediaTypes = mediaTypes;
        this.groups = groups;
        this.responses = responses;
    }

    List<UriHandler> handlers(WebServerNamespace namespace) {
        List<UriHandler> handlers = new ArrayList<>();
        if (links) {
            // logs "Exposing N endpoints beneath base path" once, as Boot's servers do
            EndpointLinksResolver resolver = new EndpointLinksResolver(endpoints, mapping.getPath());
            String path = mapping.getPath().isEmpty() ? "/" : mapping.getPath();
            handlers.add(
                    UriHandler.of(path, HttpMethod.GET, (request, response) -> links(resolver, request, response)));
        }
        additionalHealthPaths(namespace).forEach(handler -> handlers.add(uriHandler(handler)));
        List<WebOperationHandler> operations = new ArrayList<>();
        for (ExposableWebEndpoint endpoint : endpoints) {
            for (WebOperation operation : endpoint.getOperations()) {
                String path =
                        mapping.createSubPath(operation.getRequestPredicate().getPath());
                operations.add(new WebOperationHandler(
                        operation, EndpointPathTemplate.of(path), Map.of(), namespace, responses));
            }
        }
        operations.sort(Comparator.comparing((WebOperationHandler handler) ->
                        EndpointPathTemplate.of(handler.path()).capturesRemainder())
                .thenComparingInt(
                        handler -> EndpointPathTemplate.of(handler.path()).variableCount()));
        operations.forEach(handler -> handlers.add(uriHandler(handler)));
        return handlers;
    }

    /**
     * A group with {@code additional-path: "management:/livez"} answers at {@code /livez} as the
     * health endpoint answers for that group, the way Boot's MVC integration does it: the health
     * operation that takes the rest of the path, given the path's last segment.
     */
    private List<WebOperationHandler> additionalHealthPaths(WebServerNamespace namespace) {
        List<WebOperationHandler> handlers = new ArrayList<>();
        if (groups == null) {
            return handlers;
        }
        ExposableWebEndpoint health = endpoints.stream()
                .filter(endpoint -> endpoint.getEndpointId().equals(HealthEndpoint.ID))
                .findFirst()
                .orElse(null);
        if (health == null) {
            return handlers;
        }
        for (HealthEndpointGroup group : groups.getAllWithAdditionalPath(namespace)) {
            AdditionalHealthEndpointPath additional = group.getAdditionalPath();
            String value = additional.getValue();
            String path = new EndpointMapping(serverBasePath).createSubPath(value);
            String lastSegment = value.substring(value.lastIndexOf('/') + 1);
            for (WebOperation operation : health.getOperations()) {
                String remainder = operation.getRequestPredicate().getMatchAllRemainingPathSegmentsVariable();
                if (remainder != null) {
                    handlers.add(new WebOperationHandler(
                            operation,
                            EndpointPathTemplate.of(path),
                            Map.of(remainder, new String[] {lastSegment}),
                            namespace,
                            responses));
                }
            }
        }
        return handlers;
    }

    private static UriHandler uriHandler(WebOperationHandler handler) {
        return UriHandler.of(handler.path(), handler.method(), handler);
    }

    /** The discovery page: a link to every exposed endpoint, as absolute URLs of this request. */
    private void links(EndpointLinksResolver resolver, HttpRequest request, HttpResponse response) throws IOException {
        String contentType;
        try {
            contentType = EndpointResponses.negotiate(mediaTypes.getProduced(), request.headers("Accept"));
        } catch (EndpointRequestException e) {
            responses.sendError(response, e.status(), e.getMessage(), request.path());
            return;
        }
        String authority = request.header("Host").orElseGet(() -> localAuthority(request));
        String url = "http://" + authority + request.path();
        Object body = OperationResponseBody.of(Map.of("_links", resolver.resolveLinks(url)));
        responses.send(response, 200, contentType, body);
    }

    private static String localAuthority(HttpRequest request) {
        InetSocketAddress local = request.session().localAddress();
        String host = local.getAddress().getHostAddress();
        return (local.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + local.getPort();
    }
}
