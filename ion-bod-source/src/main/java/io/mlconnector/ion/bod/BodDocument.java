package io.mlconnector.ion.bod;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * One Infor OAGIS BOD as ION delivers it (ion-ims-bod.md 3.1): root {@code <Verb><Noun>}, the ApplicationArea with
 * the BODID, the DataArea with the Sync element (action code, accounting entity, location) and the noun.
 * Elements are matched by local name, so the OAGIS namespace may be declared or not. The parser refuses DTDs and
 * external entities: a BOD is data from outside, and XXE or an entity bomb must not reach the worker.
 */
final class BodDocument {

    /** The verbs of OAGIS (ion-ims-bod.md 3.1, IDG "Verb"); the root's name is one of these and the noun. */
    private static final List<String> VERBS = List.of("Sync", "Process", "Get", "Load", "Post", "Update",
            "Acknowledge", "Show", "Confirm");

    /** The action codes of a Sync (IDG "Action codes"). */
    enum Action {
        ADD, REPLACE, CHANGE, DELETE
    }

    /** The BOD could not be read as one: the reason, for the data-errors topic. */
    static final class NotABod extends Exception {
        NotABod(String reason) {
            super(reason, null, false, false);
        }
    }

    private final String verb;
    private final String noun;
    private final Element root;
    private final Element dataArea;

    private BodDocument(String verb, String noun, Element root, Element dataArea) {
        this.verb = verb;
        this.noun = noun;
        this.root = root;
        this.dataArea = dataArea;
    }

    static BodDocument parse(byte[] xml) throws NotABod {
        Document document;
        try {
            DocumentBuilder builder;
            synchronized (FACTORY) {
                // a factory is not promised to be thread-safe; the builder it makes is used by this thread only
                builder = FACTORY.newDocumentBuilder();
            }
            // silence the parser's own printing of errors: the exception carries the reason
            builder.setErrorHandler(new DefaultHandler());
            document = builder.parse(new ByteArrayInputStream(xml));
        } catch (SAXException | IOException e) {
            throw new NotABod("the payload is not well-formed XML: " + e.getMessage());
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
        Element root = document.getDocumentElement();
        String name = root.getLocalName();
        String verb = VERBS.stream().filter(v -> name.startsWith(v) && name.length() > v.length()).findFirst()
                .orElseThrow(() -> new NotABod("the root element <" + name + "> is not an OAGIS verb and noun"));
        Element dataArea = child(root, "DataArea");
        if (dataArea == null) {
            throw new NotABod("<" + name + "> has no DataArea");
        }
        return new BodDocument(verb, name.substring(verb.length()), root, dataArea);
    }

    /** e.g. {@code Sync.PurchaseOrder}, as ION's documentName writes it. */
    String documentName() {
        return verb + "." + noun;
    }

    String verb() {
        return verb;
    }

    String noun() {
        return noun;
    }

    /** ApplicationArea/BODID, or null. */
    String bodId() {
        return text(root, "ApplicationArea", "BODID");
    }

    /** ApplicationArea/CreationDateTime, or null. */
    String creationDateTime() {
        return text(root, "ApplicationArea", "CreationDateTime");
    }

    /**
     * DataArea/&lt;Verb&gt;/ActionCriteria/ActionExpression/@actionCode. A Sync without one is read as Replace, the
     * complete object, which a receiver treats as an upsert (IDG "Action codes"); an unknown code is not a BOD we
     * can honour.
     */
    Action action() throws NotABod {
        Element expression = element(dataArea, verb, "ActionCriteria", "ActionExpression");
        String code = expression == null ? "" : expression.getAttribute("actionCode").trim();
        if (code.isEmpty()) {
            return Action.REPLACE;
        }
        try {
            return Action.valueOf(code.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new NotABod("unknown actionCode '" + code + "'; known are Add, Replace, Change and Delete");
        }
    }

    /** DataArea/&lt;Verb&gt;/AccountingEntityID, or null. */
    String accountingEntity() {
        return text(dataArea, verb, "AccountingEntityID");
    }

    /** DataArea/&lt;Verb&gt;/LocationID, or null. */
    String location() {
        return text(dataArea, verb, "LocationID");
    }

    /** DataArea/&lt;Noun&gt;: the business object. */
    Element nounElement() throws NotABod {
        Element element = child(dataArea, noun);
        if (element == null) {
            throw new NotABod("DataArea has no <" + noun + ">");
        }
        return element;
    }

    /** The first child element with this local name, or null. */
    static Element child(Element parent, String localName) {
        for (Node n = parent == null ? null : parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    /** Every child element with this local name, in order. */
    static List<Element> children(Element parent, String localName) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }

    /** The element at a path of local names below {@code from}, or null. */
    static Element element(Element from, String... path) {
        Element current = from;
        for (String step : path) {
            current = child(current, step);
            if (current == null) {
                return null;
            }
        }
        return current;
    }

    /** The text at a path, trimmed at the end only (leading blanks are data); null when absent or empty. */
    static String text(Element from, String... path) {
        Element e = element(from, path);
        if (e == null) {
            return null;
        }
        String text = e.getTextContent().stripTrailing();
        return text.isEmpty() ? null : text;
    }

    private static final DocumentBuilderFactory FACTORY = secureFactory();

    private static DocumentBuilderFactory secureFactory() {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        try {
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a feature that keeps BODs safe to read", e);
        }
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return factory;
    }
}
