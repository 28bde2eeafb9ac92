"""Trove-style oslo.messaging serializers, written from the wire contract (not copied from Trove).

Crypto (Trove's crypto_utils, as documented in trove-rpc.md section 3.1):
  key bytes  = ASCII text of md5 hexdigest of the UTF-8 key string (32 bytes -> AES-256)
  iv         = 16 random bytes, prepended to the ciphertext
  padding    = n bytes of value n, n = 16 - len % 16 (always 1..16)
  wire text  = standard base64 (with '=' padding) of iv || AES-CBC(plaintext)
The plaintext of an argument is the JSON text of the value; the context dict becomes one 'context' key.

Receivers behave like Trove: anything that cannot be decrypted/parsed is passed through unchanged.
"""

import base64
import binascii
import hashlib
import json
import os

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
import oslo_messaging

BLOCK = 16


def _aes_key(key):
    return hashlib.md5(key.encode('utf-8')).hexdigest().encode('ascii')


def encrypt_text(plaintext, key):
    data = plaintext.encode('utf-8')
    n = BLOCK - len(data) % BLOCK
    data += bytes([n]) * n
    iv = os.urandom(BLOCK)
    enc = Cipher(algorithms.AES(_aes_key(key)), modes.CBC(iv)).encryptor()
    return base64.b64encode(iv + enc.update(data) + enc.finalize()).decode('ascii')


def decrypt_text(wire, key):
    """Raises ValueError/TypeError when the value is not something this key opens (like Trove)."""
    raw = base64.b64decode(wire, validate=True)
    if len(raw) < 2 * BLOCK or len(raw) % BLOCK:
        raise ValueError('not IV + whole AES blocks')
    dec = Cipher(algorithms.AES(_aes_key(key)), modes.CBC(raw[:BLOCK])).decryptor()
    padded = dec.update(raw[BLOCK:]) + dec.finalize()
    n = padded[-1]
    if n < 1 or n > BLOCK or padded[-n:] != bytes([n]) * n:
        raise ValueError('bad padding (wrong key?)')
    return padded[:-n].decode('utf-8')


def _dumps(value):
    # oslo's jsonutils.dumps == json.dumps with the default separators
    return json.dumps(value)


class SecureSerializer(oslo_messaging.serializer.Serializer):
    """Trove's SecureSerializer: each entity -> b64(AES(json(entity))); context -> {'context': b64(...)}.

    entity_key lets a test encrypt arguments with another key than the context (wrong-key tests).
    """

    def __init__(self, key, entity_key=None):
        self._key = key
        self._entity_key = entity_key or key

    def serialize_entity(self, ctxt, entity):
        if not self._entity_key:
            return entity
        return encrypt_text(_dumps(entity), self._entity_key)

    def deserialize_entity(self, ctxt, entity):
        if not self._entity_key:
            return entity
        try:
            return json.loads(decrypt_text(entity, self._entity_key))
        except (ValueError, TypeError, binascii.Error):
            return entity  # Trove: fall back to the raw value

    def serialize_context(self, ctxt):
        if not self._key:
            return ctxt
        return {'context': encrypt_text(_dumps(ctxt), self._key)}

    def deserialize_context(self, ctxt):
        if not self._key:
            return ctxt
        try:
            opened = json.loads(decrypt_text(ctxt['context'], self._key))
            if isinstance(opened, dict):
                return opened
        except (ValueError, TypeError, KeyError, binascii.Error):
            pass
        return ctxt


class ConductorGuestSerializer(oslo_messaging.serializer.Serializer):
    """What a Trove guest casts to the conductor with: each entity becomes the JSON text
    {"entity": b64(AES(json(entity))), "csz-instance-id": id}; the context gets csz-instance-id beside it."""

    def __init__(self, key, instance_id):
        self._key = key
        self._instance_id = instance_id

    def serialize_entity(self, ctxt, entity):
        return _dumps({'entity': encrypt_text(_dumps(entity), self._key),
                       'csz-instance-id': self._instance_id})

    def deserialize_entity(self, ctxt, entity):
        try:
            return json.loads(decrypt_text(entity, self._key))
        except (ValueError, TypeError, binascii.Error):
            return entity

    def serialize_context(self, ctxt):
        return {'context': encrypt_text(_dumps(ctxt), self._key),
                'csz-instance-id': self._instance_id}

    def deserialize_context(self, ctxt):
        return ctxt


class ConductorHostSerializer(oslo_messaging.serializer.Serializer):
    """The conductor's side: unwrap, look the instance key up, decrypt; anything else passes through."""

    def __init__(self, keys):
        self._keys = keys  # instance id -> key

    def serialize_entity(self, ctxt, entity):
        key = self._keys.get((ctxt or {}).get('instance_id'))
        return encrypt_text(_dumps(entity), key) if key else entity

    def deserialize_entity(self, ctxt, entity):
        try:
            wrapper = json.loads(entity)
            key = self._keys[wrapper['csz-instance-id']]
            return json.loads(decrypt_text(wrapper['entity'], key))
        except (ValueError, TypeError, KeyError, binascii.Error):
            return entity

    def serialize_context(self, ctxt):
        return ctxt

    def deserialize_context(self, ctxt):
        instance_id = ctxt.get('csz-instance-id')
        if not instance_id:
            return ctxt
        try:
            opened = json.loads(decrypt_text(ctxt['context'], self._keys[instance_id]))
        except (ValueError, TypeError, KeyError, binascii.Error):
            return ctxt
        opened['instance_id'] = instance_id
        return opened


def make_serializer(spec):
    """spec: None / {"type": "plain"} / {"type": "secure", "key", "entity_key"?} /
    {"type": "conductor_guest", "key", "instance_id"} / {"type": "conductor_host", "keys": {id: key}}"""
    if not spec or spec.get('type', 'plain') == 'plain':
        return None
    kind = spec['type']
    if kind == 'secure':
        return SecureSerializer(spec['key'], spec.get('entity_key'))
    if kind == 'conductor_guest':
        return ConductorGuestSerializer(spec['key'], spec['instance_id'])
    if kind == 'conductor_host':
        return ConductorHostSerializer(spec['keys'])
    raise ValueError('unknown serializer type %s' % kind)


def make_transport(url, exchange):
    """The process-wide oslo config (cfg.CONF, as every OpenStack service uses it) and an RPC transport
    whose control_exchange is `exchange`."""
    from oslo_config import cfg
    conf = cfg.CONF
    conf(args=[], project='trovej-interop', default_config_files=[], default_config_dirs=[])
    oslo_messaging.set_transport_defaults(exchange)
    transport = oslo_messaging.get_rpc_transport(conf, url=url)
    assert conf.control_exchange == exchange, conf.control_exchange
    return transport, conf
