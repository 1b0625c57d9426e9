package org.sparkmnist.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import javax.xml.bind.JAXBContext;
import javax.xml.bind.JAXBException;
import javax.xml.bind.annotation.XmlRootElement;
import org.apache.hadoop.shaded.com.sun.jersey.api.json.JSONJAXBContext;
import org.apache.hadoop.shaded.javax.ws.rs.Produces;
import org.apache.hadoop.shaded.javax.ws.rs.WebApplicationException;
import org.apache.hadoop.shaded.javax.ws.rs.core.MediaType;
import org.apache.hadoop.shaded.javax.ws.rs.core.MultivaluedMap;
import org.apache.hadoop.shaded.javax.ws.rs.ext.MessageBodyWriter;
import org.apache.hadoop.yarn.server.resourcemanager.webapp.JAXBContextResolver;

/**
 * The ResourceManager's REST API answers in JSON as an unshaded ResourceManager does: each report
 * marshalled by the ResourceManager's own JAXB contexts (its JAXBContextResolver, in JAXB's
 * "natural" JSON), e.g. {@code {"app":{"id":...,"state":"RUNNING",...}}}, which is what Airflow's
 * Spark provider and the DAG read. hadoop-client-minicluster 3.3.4 relocates javax.xml.bind for
 * its shaded Jersey but not for YARN's report classes, so Jersey's own JAXB providers never see
 * their {@code @XmlRootElement} and Jackson's JAX-RS provider writes them instead, as bean
 * properties, failing half-way through an application report. Registered through
 * META-INF/services (this file's classpath entry comes first), it only takes the types the
 * ResourceManager has a JAXB context for.
 */
@Produces(MediaType.APPLICATION_JSON)
public final class ResourceManagerJson implements MessageBodyWriter<Object> {

    private final JAXBContextResolver contexts;

    /** Jersey's: it builds each provider that META-INF/services names. */
    public ResourceManagerJson() throws Exception {
        contexts = new JAXBContextResolver();
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type.isAnnotationPresent(XmlRootElement.class) && contexts.getContext(type) instanceof JSONJAXBContext
                && MediaType.APPLICATION_JSON_TYPE.isCompatible(mediaType);
    }

    @Override
    public long getSize(Object report, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return -1;
    }

    @Override
    public void writeTo(Object report, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                        MultivaluedMap<String, Object> headers, OutputStream out) throws IOException, WebApplicationException {
        JAXBContext context = contexts.getContext(type);
        try {
            ((JSONJAXBContext) context).createJSONMarshaller().marshallToJSON(report, out);
        } catch (JAXBException e) {
            throw new IOException("cannot write " + type.getName() + " as JSON", e);
        }
    }
}
