package org.trovej.common.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.trovej.common.crypto.CryptoException;
import org.trovej.common.crypto.NotCiphertextException;
import org.trovej.common.crypto.TroveCrypto;
import org.trovej.common.json.PythonJson;

/**
 * Trove's secure messaging for API→task manager and control plane↔guest traffic: each value becomes the
 * base64 ciphertext of its JSON text, and the whole context one {@code context} key. A value that is not
 * ciphertext at all is taken as it is, as Trove does, so a peer without a key still interoperates; but
 * ciphertext this key does not open is an error rather than garbage handed to the method.
 */
public final class SecureSerializer implements RpcSerializer {

    private final String key;

    public SecureSerializer(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("a SecureSerializer needs a key; use RpcSerializer.plain()");
        }
        this.key = key;
    }

    @Override
    public JsonNode serializeEntity(RpcContext context, JsonNode entity) {
        return TextNode.valueOf(TroveCrypto.encrypt(PythonJson.dumps(entity), key));
    }

    @Override
    public JsonNode deserializeEntity(RpcContext context, JsonNode entity) {
        if (!entity.isTextual()) {
            return entity;
        }
        String plaintext;
        try {
            plaintext = TroveCrypto.decrypt(entity.textValue(), key);
        } catch (NotCiphertextException e) {
            return entity; // a plain value from a peer without encryption, accepted as Trove accepts it
        } catch (CryptoException e) {
            throw new RpcDecodeException("argument does not decrypt with this key", e);
        }
        try {
            return PythonJson.parse(plaintext);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // AES-CBC has no integrity check: a wrong key passes the padding check about once in 256 messages and
            // yields garbage, so "not JSON" is the same failure as a padding error and is reported as one
            throw new RpcDecodeException("argument does not decrypt with this key (not JSON after decryption)", e);
        }
    }

    @Override
    public ObjectNode serializeContext(RpcContext context) {
        ObjectNode wire = PythonJson.object();
        wire.put("context", TroveCrypto.encrypt(PythonJson.dumps(context.toDict()), key));
        return wire;
    }

    @Override
    public RpcContext deserializeContext(ObjectNode wireContext) {
        JsonNode sealed = wireContext.get("context");
        if (sealed == null || !sealed.isTextual()) {
            return RpcContext.fromDict(wireContext);
        }
        try {
            JsonNode dict = PythonJson.parse(TroveCrypto.decrypt(sealed.textValue(), key));
            if (dict instanceof ObjectNode object) {
                return RpcContext.fromDict(object);
            }
        } catch (NotCiphertextException e) {
            return RpcContext.fromDict(wireContext);
        } catch (CryptoException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new RpcDecodeException("context does not decrypt with this key", e);
        }
        throw new RpcDecodeException("context is not a JSON object after decryption");
    }
}
