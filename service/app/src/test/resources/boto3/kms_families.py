"""Calls each family of the embedded KMS's operations with boto3 against a running service, as a second client
besides the Java SDK. Usage: kms_families.py <endpoint-url>. Exits non-zero (with the traceback) on the first
call that does not answer as AWS KMS would."""
import os
import sys

import boto3
from botocore.exceptions import ClientError

ENDPOINT = sys.argv[1]
kms = boto3.client("kms", endpoint_url=ENDPOINT, region_name="us-east-1",
                   aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"),
                   aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY",
                                                        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"))


def expect_error(code, call, **kwargs):
    try:
        call(**kwargs)
    except ClientError as e:
        assert e.response["Error"]["Code"] == code, (code, e.response["Error"])
        return
    raise AssertionError("expected " + code)


# Sign / Verify
key = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
signature = kms.sign(KeyId=key, Message=b"release", SigningAlgorithm="ECDSA_SHA_256")["Signature"]
assert kms.verify(KeyId=key, Message=b"release", Signature=signature,
                  SigningAlgorithm="ECDSA_SHA_256")["SignatureValid"]
expect_error("KMSInvalidSignatureException", kms.verify, KeyId=key, Message=b"other", Signature=signature,
             SigningAlgorithm="ECDSA_SHA_256")
assert kms.get_public_key(KeyId=key)["PublicKey"]

# MAC
mac_key = kms.create_key(KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC")["KeyMetadata"]["KeyId"]
mac = kms.generate_mac(KeyId=mac_key, Message=b"m", MacAlgorithm="HMAC_SHA_256")["Mac"]
assert kms.verify_mac(KeyId=mac_key, Message=b"m", Mac=mac, MacAlgorithm="HMAC_SHA_256")["MacValid"]

# Tags, description, rotation
sym = kms.create_key(Description="boto3", Tags=[{"TagKey": "team", "TagValue": "a"}])["KeyMetadata"]["KeyId"]
kms.tag_resource(KeyId=sym, Tags=[{"TagKey": "env", "TagValue": "test"}])
kms.untag_resource(KeyId=sym, TagKeys=["team"])
assert kms.list_resource_tags(KeyId=sym)["Tags"] == [{"TagKey": "env", "TagValue": "test"}]
kms.update_key_description(KeyId=sym, Description="boto3, updated")
sealed = kms.encrypt(KeyId=sym, Plaintext=b"before rotation", EncryptionContext={"a": "b"})["CiphertextBlob"]
kms.enable_key_rotation(KeyId=sym, RotationPeriodInDays=90)
assert kms.get_key_rotation_status(KeyId=sym)["KeyRotationEnabled"]
kms.rotate_key_on_demand(KeyId=sym)
assert len(kms.list_key_rotations(KeyId=sym)["Rotations"]) == 1
assert kms.decrypt(CiphertextBlob=sealed, EncryptionContext={"a": "b"})["Plaintext"] == b"before rotation"

# ReEncrypt
other = kms.create_key()["KeyMetadata"]["KeyId"]
moved = kms.re_encrypt(CiphertextBlob=sealed, SourceEncryptionContext={"a": "b"}, DestinationKeyId=other)
assert kms.decrypt(CiphertextBlob=moved["CiphertextBlob"])["Plaintext"] == b"before rotation"

# Data keys and data key pairs
data_key = kms.generate_data_key(KeyId=sym, KeySpec="AES_256")
assert kms.decrypt(CiphertextBlob=data_key["CiphertextBlob"])["Plaintext"] == data_key["Plaintext"]
pair = kms.generate_data_key_pair(KeyId=sym, KeyPairSpec="RSA_2048")
assert kms.decrypt(CiphertextBlob=pair["PrivateKeyCiphertextBlob"])["Plaintext"] == pair["PrivateKeyPlaintext"]
assert "PrivateKeyPlaintext" not in kms.generate_data_key_pair_without_plaintext(KeyId=sym, KeyPairSpec="ECC_NIST_P256")
assert len(kms.generate_random(NumberOfBytes=16)["Plaintext"]) == 16

# Imported key material: the material is wrapped with RSA-OAEP SHA-256 by the cryptography package, when present.
try:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding
except ImportError:
    print("cryptography is not installed: the import family is skipped")
else:
    external = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]
    assert external["KeyState"] == "PendingImport"
    material = os.urandom(32)

    def import_material():
        params = kms.get_parameters_for_import(KeyId=external["KeyId"], WrappingAlgorithm="RSAES_OAEP_SHA_256",
                                               WrappingKeySpec="RSA_2048")
        public_key = serialization.load_der_public_key(params["PublicKey"])
        wrapped = public_key.encrypt(material, padding.OAEP(mgf=padding.MGF1(hashes.SHA256()),
                                                            algorithm=hashes.SHA256(), label=None))
        kms.import_key_material(KeyId=external["KeyId"], ImportToken=params["ImportToken"],
                                EncryptedKeyMaterial=wrapped, ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE")

    import_material()
    blob = kms.encrypt(KeyId=external["KeyId"], Plaintext=b"imported")["CiphertextBlob"]
    kms.delete_imported_key_material(KeyId=external["KeyId"])
    assert kms.describe_key(KeyId=external["KeyId"])["KeyMetadata"]["KeyState"] == "PendingImport"
    import_material()
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"imported"

# Refused as AWS refuses them
expect_error("UnsupportedOperationException", kms.describe_custom_key_stores)
expect_error("ValidationException", kms.create_alias, AliasName="alias/my:alias", TargetKeyId=sym)
print("all KMS families answered as expected")
