"""Source fingerprints of the botocore internals that the SDK's tunings rely on.

The clients the SDK creates are tuned (``_wire``, ``_sigv4``, ``_one_send``):
each tuning replaces or wraps a private part of botocore, urllib3 or
aiobotocore, and is right only for the code it was written against. So
each tuning names the internals it relies on, and the SHA-256 of their source
code that was reviewed with it (aiobotocore guards its own overrides the same
way, in ``tests/test_patches.py``).

- At run time, a tuning is installed only when every internal it names still
  has a reviewed fingerprint; otherwise the client keeps botocore's own path
  for that part, and a debug log line names what changed. A module whose whole
  file is byte-identical to a reviewed one passes without reading its
  functions (``REVIEWED_FILES``): that costs a hash, not a parse.
- ``tests/test_guard.py`` fails when any of them differs, so that an upgrade
  of botocore, urllib3 or aiobotocore is reviewed before it ships.

To review an upgrade: read the changed internal, adapt the tuning if needed,
then add the new fingerprints (the test prints them) to the reviewed sets.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import inspect
import linecache
import logging
from collections.abc import Iterator, Mapping
from types import CodeType, FunctionType
from typing import cast

__all__ = ["REVIEWED", "REVIEWED_FILES", "TUNINGS", "changed", "fingerprint", "intact"]

_log = logging.getLogger("ivs_realtime_sdk")

#: Each tuning, by facade, and the internals it relies on (``module:Qualified.name``).
TUNINGS: Mapping[str, tuple[str, ...]] = {
    # _wire: 2xx bodies read with one json.loads; errors still go to botocore's parser.
    "sync.reader": (
        "botocore.endpoint:Endpoint._do_get_response",
        "botocore.endpoint:convert_to_response_dict",
        "botocore.parsers:ResponseParser",
        "botocore.parsers:BaseJSONParser",
        "botocore.parsers:BaseRestParser",
        "botocore.parsers:RestJSONParser",
    ),
    "async.reader": (
        "aiobotocore.endpoint:AioEndpoint._do_get_response",
        "aiobotocore.endpoint:convert_to_response_dict",
        "aiobotocore.parsers:AioRestJSONParser",
        "botocore.parsers:ResponseParser",
        "botocore.parsers:BaseJSONParser",
        "botocore.parsers:BaseRestParser",
        "botocore.parsers:RestJSONParser",
    ),
    # _wire: bodies of POST /Operation written with one json.dumps.
    "sync.serializer": (
        "botocore.client:BaseClient._convert_to_request_dict",
        "botocore.serialize:Serializer",
        "botocore.serialize:JSONSerializer",
        "botocore.serialize:BaseRestSerializer",
        "botocore.serialize:RestJSONSerializer",
    ),
    "async.serializer": (
        "aiobotocore.client:AioBaseClient._convert_to_request_dict",
        "botocore.serialize:Serializer",
        "botocore.serialize:JSONSerializer",
        "botocore.serialize:BaseRestSerializer",
        "botocore.serialize:RestJSONSerializer",
    ),
    # _wire: the User-Agent header kept per set of metrics features.
    "sync.user_agent": (
        "botocore.useragent:UserAgentString",
        "botocore.context:get_context",
        "botocore.client:BaseClient._convert_to_request_dict",
    ),
    "async.user_agent": (
        "botocore.useragent:UserAgentString",
        "botocore.context:get_context",
        "aiobotocore.client:AioBaseClient._convert_to_request_dict",
    ),
    # _sigv4: botocore's SigV4 with cheaper bookkeeping.
    "sync.sigv4": (
        "botocore.auth:SigV4Auth",
        "botocore.auth:_host_from_url",
        "botocore.awsrequest:AWSRequest",
        "botocore.awsrequest:AWSRequestPreparer._prepare_body",
        "botocore.signers:RequestSigner.sign",
        "botocore.signers:RequestSigner.get_auth_instance",
    ),
    "async.sigv4": (
        "botocore.auth:SigV4Auth",
        "botocore.auth:_host_from_url",
        "botocore.awsrequest:AWSRequest",
        "botocore.awsrequest:AWSRequestPreparer._prepare_body",
        "aiobotocore.signers:AioRequestSigner.sign",
        "aiobotocore.signers:AioRequestSigner.get_auth_instance",
    ),
    # _own_session: the endpoint data of ivs-realtime alone, on sessions the SDK creates.
    "session.endpoints": (
        "botocore.session:Session._register_endpoint_resolver",
        "botocore.session:Session._register_internal_component",
        "botocore.loaders:Loader.load_data_with_path",
        "botocore.loaders:Loader._potential_locations",
        "botocore.loaders:JSONFileLoader",
        "botocore.regions:EndpointResolver",
    ),
    # _own_session: ivs-realtime's model found without listing every service.
    "session.loader": (
        "botocore.loaders:Loader.__init__",
        "botocore.loaders:Loader.load_service_model",
        "botocore.loaders:Loader.list_api_versions",
        "botocore.loaders:Loader.determine_latest_version",
        "botocore.loaders:Loader._find_extras",
    ),
    # _one_send: the request head and body in one send().
    "sync.one_send": (
        "botocore.awsrequest:AWSConnection",
        "botocore.httpsession:URLLib3Session.__init__",
        "botocore.httpsession:URLLib3Session._get_proxy_manager",
        "urllib3.connection:HTTPConnection.request",
        "urllib3.connection:HTTPConnection.getresponse",
    ),
}

#: The reviewed fingerprints of each internal; more than one where several
#: releases were reviewed: botocore 1.40.61 with aiobotocore 2.25.1 (aioboto3
#: 15.5.0), botocore 1.38.23 with aiobotocore 2.23.0 (the declared floors), and
#: urllib3 2.8.0. Between those botocore releases the guarded internals changed
#: only in ways the tunings do not depend on (the protocol lookup, messages,
#: timestamp precision and the query-compatible header of other services,
#: bearer tokens, the 100-continue status line).
REVIEWED: Mapping[str, frozenset[str]] = {
    "botocore.loaders:Loader.__init__": frozenset(
        {"f5d0ead1c6c4c643a456da8f5e0d659f5680a3d2ccd21a94814272ac4cc890ad"}
    ),
    "botocore.loaders:Loader.load_service_model": frozenset(
        {"ba2bafd04efdbf187b5b24065133bad1213b43fe0b22c5e247af24f62eac70f5"}
    ),
    "botocore.loaders:Loader.list_api_versions": frozenset(
        {"ba2bafd04efdbf187b5b24065133bad1213b43fe0b22c5e247af24f62eac70f5"}
    ),
    "botocore.loaders:Loader.determine_latest_version": frozenset(
        {"ba2bafd04efdbf187b5b24065133bad1213b43fe0b22c5e247af24f62eac70f5"}
    ),
    "botocore.loaders:Loader._find_extras": frozenset(
        {"49c6f70134fb09bf71a2cacf89255e804d27f535e7bd019e1a9b8d8bebe8f7e9"}
    ),
    "botocore.session:Session._register_endpoint_resolver": frozenset(
        {"16bd2a53e4daa5da8094beabf4f9f896e793fe657d24b0a4456187b5c590f722"}
    ),
    "botocore.session:Session._register_internal_component": frozenset(
        {"80c4ef071e2b214f92404147f5fb41884145ad8f5ca051bacfe46e31c8469708"}
    ),
    "botocore.loaders:Loader.load_data_with_path": frozenset(
        {"ba2bafd04efdbf187b5b24065133bad1213b43fe0b22c5e247af24f62eac70f5"}
    ),
    "botocore.loaders:Loader._potential_locations": frozenset(
        {"237ce6c7d0ef0817d3c845a7d9bbd5b0fdac9f3fcc846883afcbbeb01703587a"}
    ),
    "botocore.loaders:JSONFileLoader": frozenset(
        {"3c17adea017e79acea1ac1e2d25a9fa2571cb6d35511f754c140dd349278e691"}
    ),
    "botocore.regions:EndpointResolver": frozenset(
        {
            "9bda6d2ddc106871dbb6a69fea852729d45af74fb7cc876114bded119cfeacbc",
            "65186dcef5eec9261ac1e4bec8e7e9f3db72165ce1d36ef6a32ec194aefda49b",
        }
    ),
    "botocore.endpoint:Endpoint._do_get_response": frozenset(
        {
            "e1821119dedea32b2c9c66e821ca171d8200c25336a787430b6740b8e4d925e4",
            "39c61640985e46269bb35898ba384f3b98e5073aa4eec7f71de5d29a0d4d9b84",
        }
    ),
    "botocore.endpoint:convert_to_response_dict": frozenset(
        {
            "4910fc6af731775af4c6f43126ee7adb1f2b1261285ec74a2cb4790f2d4e676c",
            "9a21b92b3431d90ed0337b4bb440089b54de00c31e03ed4b6408d4860d32ca71",
        }
    ),
    "botocore.parsers:ResponseParser": frozenset(
        {
            "39e8b1871b973d8608b04e6c938cdc565f1abe2af91903f008423ce6caa16b4f",
            "a7b52b83faabb713afe4d44f472a278f1025ac133a0d70b116c07ccfba8deee6",
        }
    ),
    "botocore.parsers:BaseJSONParser": frozenset(
        {"df697ce9cca071e7ba592e17c98f6ad90b4c214f213e01e35118fd8d12912a36"}
    ),
    "botocore.parsers:BaseRestParser": frozenset(
        {"82e64a4945b263213ee67959f9b3a129b7533092af2ee8906f77e3d84d7b65b9"}
    ),
    "botocore.parsers:RestJSONParser": frozenset(
        {"56621c902e19657dd4f1554cf38ea3b927378c6d931a3402fa56b56a5bc59042"}
    ),
    "aiobotocore.endpoint:AioEndpoint._do_get_response": frozenset(
        {
            "082b773ba52d7a7e5fc7e87264b4a47a280a0ae8268948176e3fc55b8a2c2dd8",
            "c8d17ec3f602d0e6140bc99f02b6b4bfaeacdb87ac26e0294c592d9bc6659138",
        }
    ),
    "aiobotocore.endpoint:convert_to_response_dict": frozenset(
        {
            "5b8b5942a9447c97a777d3849c3522dd5b0b5aa289c4bc1a2f33a38816d63c13",
            "a06a01efee325b989258ef84ec2d591eed22ff6e2b0aa8efc6f07be35509183a",
        }
    ),
    "aiobotocore.parsers:AioRestJSONParser": frozenset(
        {"687a3bc8c4ea40bb7d1d8c12acbdf4f4431f7f2bdb8401135d73c76ea0d015c2"}
    ),
    "botocore.client:BaseClient._convert_to_request_dict": frozenset(
        {"9c9089a6ab3b59d6b5e483987dd814a095bcc085ab1ea9350ef4eca1c895db9e"}
    ),
    "botocore.serialize:Serializer": frozenset(
        {
            "cfffaf27f7efbbba87fe16bfbeccc9bf6f8e2ad92527b2b7202f766ad6d6fac5",
            "88f86e79981b9e555166c3d27e6edfb393dde8c775da7c0471d24836f9fa7f33",
        }
    ),
    "botocore.serialize:JSONSerializer": frozenset(
        {
            "fe484633bb7d1ff4d9e91db87c592bc4a417c07326f48081fda498f785b0b92d",
            "33e6ce92db675d26ec09d9e3de9cba7f0f5bd7461ec458094dd045ade99f3245",
        }
    ),
    "botocore.serialize:BaseRestSerializer": frozenset(
        {"1003b2bf7607385d1d7df813d1c6a5600b1e591184a00e8a4d687f9b1d33f68b"}
    ),
    "botocore.serialize:RestJSONSerializer": frozenset(
        {"4ba04b2fb1dca579b74bcd6d9e8b8a5a0523141616f25be495dc2d9918eab1b2"}
    ),
    "aiobotocore.client:AioBaseClient._convert_to_request_dict": frozenset(
        {"775f4244826ec8d9b78e01117645c0ea72a7bf0689c51fb6e335bf623ffd930b"}
    ),
    "botocore.useragent:UserAgentString": frozenset(
        {"5ecbb5aed1af2a63921b06e576efa22f280534000dca3ad28db2ef4e2cab7249"}
    ),
    "botocore.context:get_context": frozenset(
        {"d63d488bfa2fa5e7a0d62e8293d415ac384bcf2299001b7e4330136ad35c16a1"}
    ),
    "botocore.auth:SigV4Auth": frozenset(
        {
            "1234d121f20c66eddf5ba99a3a68e65f6d4919e1e82dcc5d37999083b5613bdd",
            "f2de1445fe7432bf31edd29c05f4575ec18f5d637a48d96a2aee14de262d7bad",
        }
    ),
    "botocore.auth:_host_from_url": frozenset(
        {
            "c7103a12a8f4bc2f0012c0914a6664c9acb1240a3018a5a633649f1361972f81",
            "a35c4ee58151c19afc87c7b909ded5ea7dcd71fa432fc74e2e756536dfaf450c",
        }
    ),
    "botocore.awsrequest:AWSRequest": frozenset(
        {"7194a33510dcfe2b515333a18770b5a3c7b03c6653db42ab4a5c4d60d6f3b1b4"}
    ),
    "botocore.awsrequest:AWSRequestPreparer._prepare_body": frozenset(
        {"30f2f025e970101746a7e948df4f6c21ed67fe61f0cb0276a6310e09a9731d77"}
    ),
    "botocore.signers:RequestSigner.sign": frozenset(
        {"b066ac228d0a9b814f4adf52dcc34c90027a2d097b97ef695c88c8d1f9c00d62"}
    ),
    "botocore.signers:RequestSigner.get_auth_instance": frozenset(
        {
            "cef293447a8fab222a5ec76e222291a86f301888f6834d39ae6305c579e491ef",
            "cc837ea4079c9216c90954624b3f24590fd188695c6d24e74ac7615c01db5e61",
        }
    ),
    "aiobotocore.signers:AioRequestSigner.sign": frozenset(
        {"ca8d778d033b41c25038a035a6459755a9cdbf4c60cb5052b421348402745b80"}
    ),
    "aiobotocore.signers:AioRequestSigner.get_auth_instance": frozenset(
        {
            "4b6f991818fc633ddbde6f2d0bbe23d9d4bdbd4df97d73dcae1b323f70fd980d",
            "48395f559a3ff97d6cb511febe0d7192a7114a0c84ea704bcd8248811e389706",
        }
    ),
    "botocore.awsrequest:AWSConnection": frozenset(
        {
            "06015ea92d4be367d4180257cb81fa663cc5b191083b56ae306bfb08b3399004",
            "554f958aec5461a82e2e927eed40a9594e936807680d910c501eda01328197ab",
        }
    ),
    "botocore.httpsession:URLLib3Session.__init__": frozenset(
        {"9feaa1cb12588f9afb6d890d3a4a8c43284603c47330f7e2e0481e712319faa9"}
    ),
    "botocore.httpsession:URLLib3Session._get_proxy_manager": frozenset(
        {"a4b04a61c23c9e54af29d6bb1d40408d718836c59df3da395fa887aeedbc5aef"}
    ),
    "urllib3.connection:HTTPConnection.request": frozenset(
        {"751c8aa0eb50e741d66f4a78eee02bbb20815e63b72a895b9e96f0d3f8446fa5"}
    ),
    "urllib3.connection:HTTPConnection.getresponse": frozenset(
        {"b00fb0a4b235caa1b5faf85621a529ad356a5ad39a4ddab202f005b96e19cc4e"}
    ),
}


#: Reviewed digests of whole source files, by module: the fast path of the check.
REVIEWED_FILES: Mapping[str, frozenset[str]] = {
    "botocore.loaders": frozenset(
        {"f347f0e97bdf7de169945c2e828a81fb7c9e02e9b9e45a6e9f1458da9a2193d2"}
    ),
    "botocore.regions": frozenset(
        {
            "93c80f1b60b5e90cc44c028c3f0e9fa8adfffff8e3de8240a5581de47b8c68e8",
            "78f0721351f7c5f9732601f055602b5310a261599a5ea6883bad16bc2250638e",
        }
    ),
    "botocore.session": frozenset(
        {
            "1da939f2ac5ee705775c5e5601177d97174f5ce0755ed695015118cb64c61d6c",
            "4f7a8e37aa34b367543665d0f8ea592c9d2c71763bba21124f1b47e14dbe7d88",
        }
    ),
    "aiobotocore.client": frozenset(
        {
            "c85787c64c0c0dc460a9e0a95bcdfbdcec30505f8453160afc115d1b61146a1d",
            "ebff3128c9afb7b299854d0c4a2deef12af4858962160f2209070ecbf5617c63",
        }
    ),
    "aiobotocore.endpoint": frozenset(
        {
            "ef2fdb4ac13786383020addb7730842f5c97ec20991de3225170d1352fece879",
            "f932d25b361c9d4ac531ccfe8c6078370eebb15b51194d786b9119beda1c5e89",
        }
    ),
    "aiobotocore.parsers": frozenset(
        {"1650734fa44d25e854e71f2cf267af6bcc54e6b4ac87b1cf02fd6ed04bc2740d"}
    ),
    "aiobotocore.signers": frozenset(
        {
            "40b3e95c9293875337ca21d73256fc0c5d7d76fe20aa2737b544c245103a7022",
            "78bd2a94e823747bd18a924e260eb304d4bb1ff348779fba8fdbae1ab233e62a",
        }
    ),
    "botocore.auth": frozenset(
        {
            "4f49be91522aa36f20acb00a46a638f462de77495f176ac8d998d174602f5200",
            "bfcbe2aa65a905c14d5a5aa7ebd90a2bf7b0c36523412c0d7bc8212973a84a49",
        }
    ),
    "botocore.awsrequest": frozenset(
        {
            "3ef84b1a95bace23768465274ff8c376147f2c67358e1d8d54fadd19f68594ec",
            "ee2b0e251346ce16dcc4e3783fa77b5a1619b738250216117c461ce72fb66dba",
        }
    ),
    "botocore.client": frozenset(
        {
            "930434a9b4cdebba2e222da51d956196097e72f4045a0bae9ca587ae05892e08",
            "69d249a011b986d64f9bcb2776d7df12cb01d3e4f8245f09abf98945d158b49b",
        }
    ),
    "botocore.context": frozenset(
        {"5d044303460f6a32236facd0adeb3e41034eb55d0bec1e940df047af36b85bd1"}
    ),
    "botocore.endpoint": frozenset(
        {
            "37eb166ede8f554ce7ed4e8e07c30c5d48924ba09364f85fee00e1949a5c3934",
            "6c9e33c2c281196f665df6df2da22f593114bf1eb4edcd14abc5454bbcedef58",
        }
    ),
    "botocore.httpsession": frozenset(
        {
            "d703369336faf84a5beef1ba86a8783d638eb37bd3410b4c3a98a26e545d93c7",
            "f0e0b9664e5af63fb762800ccbad17708e8f9cd97a0ca8c20faee9ab8a47157e",
        }
    ),
    "botocore.parsers": frozenset(
        {
            "68b7be1cbae03901b8e54640170c9d9a46e6ee34f25adb6ef3a1796952c85dbb",
            "d57c66ad0d5987a80bf5179e726e254bf9c47ff20eb8a239d44f67cd9283f1bb",
        }
    ),
    "botocore.serialize": frozenset(
        {
            "2a7364373703a5134a34b6f9d7b7e529111bc5df145b170fdedc8e068d51260d",
            "5bbf8a7b350c860e323cf650e5b9f9f3765fa530bfc63098434c2c4454e67208",
        }
    ),
    "botocore.signers": frozenset(
        {
            "71816e0606e94a3a998b492646681cd29df6ed00ae8bc6248088d751fb0c3524",
            "9337517ae2c2a63953323c0e04553e93a0b70067ef4c7abc813a888552e15722",
        }
    ),
    "botocore.useragent": frozenset(
        {
            "d5269e6bf3529a4cb0f1cabcf13483d71131a07969f72b58eb42f9ff80b2cd24",
            "ebad58b2f6520c701d0f310d0df641950aa8d9825bdff99b21b2d9aff3f4e350",
        }
    ),
    "urllib3.connection": frozenset(
        {"8a59dab3d7b6a0e1b38a5fd6e565ef6a49381bb995729d015e4f6440ab8523e0"}
    ),
}


def _code_lines(code: CodeType) -> Iterator[int]:
    for _, _, line in code.co_lines():
        if line is not None:
            yield line
    for const in code.co_consts:
        if isinstance(const, CodeType):
            yield from _code_lines(const)


def _function_source(function: FunctionType) -> str | None:
    code = inspect.unwrap(function).__code__
    lines = linecache.getlines(code.co_filename)
    if not lines:
        return None
    last = max(_code_lines(code), default=code.co_firstlineno)
    return "".join(lines[code.co_firstlineno - 1 : last])


def _member_source(name: str, member: object) -> str | None:
    if isinstance(member, staticmethod | classmethod):
        member = cast(object, member.__func__)
    if isinstance(member, property):
        parts = [
            _member_source(f"{name}.{part}", f)
            for part, f in (("get", member.fget), ("set", member.fset), ("del", member.fdel))
            if f is not None
        ]
        return None if None in parts else "".join(p or "" for p in parts)
    if isinstance(member, FunctionType):
        return _function_source(member)
    if isinstance(member, frozenset | set):
        # Sorted: a set's repr follows string hashing, which varies by process.
        return repr(sorted(map(repr, cast("frozenset[object]", member))))
    if member is None or isinstance(member, str | int | float | bool | tuple):
        return repr(cast(object, member))
    return f"<{type(member).__name__}>"


#: Class attributes that are not code: ``copy`` caches ``__slotnames__`` on first use.
_NOT_SOURCE = frozenset({"__dict__", "__weakref__", "__doc__", "__module__", "__slotnames__"})


def _source(target: object) -> str | None:
    if isinstance(target, type):
        parts: list[str] = []
        for name, member in sorted(vars(target).items()):
            if name in _NOT_SOURCE:
                continue
            source = _member_source(name, member)
            if source is None:
                return None
            parts.append(f"{name}\n{source}")
        return "\n".join(parts)
    if isinstance(target, FunctionType):
        return _function_source(target)
    return None


def _resolve(internal: str) -> object:
    module_name, _, qualified = internal.partition(":")
    target: object = importlib.import_module(module_name)
    for part in qualified.split("."):
        target = getattr(target, part)
    return target


def fingerprint(internal: str) -> str | None:
    """The SHA-256 of an internal's source as installed; None if it cannot be read."""
    try:
        source = _source(_resolve(internal))
    except (ImportError, AttributeError):
        return None
    if source is None:
        return None
    return hashlib.sha256(source.encode()).hexdigest()


@functools.cache
def file_sha256(path: str) -> str:
    """The SHA-256 of a file's bytes, read once per process (until ``forget``).

    Raises:
        OSError: The file cannot be read.
    """
    with open(path, "rb") as source:
        return hashlib.sha256(source.read()).hexdigest()


def file_digest(module_name: str) -> str | None:
    """The SHA-256 of a module's source file as installed; None if it cannot be read."""
    try:
        path = importlib.import_module(module_name).__file__
        if path is None:
            return None
        return file_sha256(path)
    except (ImportError, OSError):
        return None


_file_digests: dict[str, str | None] = {}


def _reviewed_file(module_name: str) -> bool:
    # The fast path: a byte-identical file holds every internal as reviewed, and
    # hashing a file is far cheaper than finding each function's source in it.
    if module_name not in _file_digests:
        _file_digests[module_name] = file_digest(module_name)
    return _file_digests[module_name] in REVIEWED_FILES.get(module_name, frozenset())


def _functions(target: object) -> Iterator[object]:
    if isinstance(target, type):
        for member in vars(target).values():
            if isinstance(member, staticmethod | classmethod):
                member = cast(object, member.__func__)
            if isinstance(member, property):
                yield from (f for f in (member.fget, member.fset, member.fdel) if f is not None)
            elif isinstance(member, FunctionType):
                yield member
    else:
        yield target


def _from_file(internal: str) -> bool:
    """Whether an internal, as loaded, is exactly the code compiled from its module's file.

    A reviewed file says nothing of what was replaced in memory since (by a
    test, a tracer, another library): every function must still come from it.
    """
    module_name = internal.partition(":")[0]
    try:
        path = importlib.import_module(module_name).__file__
        functions = list(_functions(_resolve(internal)))
    except (ImportError, AttributeError):
        return False
    return all(
        isinstance(f, FunctionType)
        and not hasattr(f, "__wrapped__")
        and f.__code__.co_filename == path
        for f in functions
    )


def changed(tuning: str) -> list[str]:
    """The internals of a tuning whose installed source was not reviewed."""
    return [
        internal
        for internal in TUNINGS[tuning]
        if not (_reviewed_file(internal.partition(":")[0]) and _from_file(internal))
        and fingerprint(internal) not in REVIEWED.get(internal, frozenset())
    ]


_intact: dict[str, bool] = {}


def intact(tuning: str) -> bool:
    """Whether a tuning may be installed: its internals are all as reviewed (cached)."""
    known = _intact.get(tuning)
    if known is None:
        differing = changed(tuning)
        if differing:
            _log.debug("botocore's own path kept for %s: changed %s", tuning, differing)
        known = _intact[tuning] = not differing
    return known


def forget() -> None:
    """Check the internals again at the next install (for tests that replace one)."""
    _intact.clear()
    _file_digests.clear()
    file_sha256.cache_clear()


def reviewed_now() -> dict[str, str | None]:
    """Every guarded internal and its installed fingerprint: what a review records."""
    return {internal: fingerprint(internal) for names in TUNINGS.values() for internal in names}


def reviewed_files_now() -> dict[str, str | None]:
    """Every module holding a guarded internal, and its file's installed digest."""
    modules = {internal.partition(":")[0] for names in TUNINGS.values() for internal in names}
    return {module: file_digest(module) for module in sorted(modules)}
