"""S3 storage through aiobotocore: one client per adapter, server-side encryption on every object."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING, Final, Self

import aiohttp
from aiobotocore.config import AioConfig
from botocore import exceptions as boto

from airecruiter.adapters.aws_client import LazyAwsClient
from airecruiter.domain.storage_keys import check_key
from airecruiter.errors import ConfigurationError, PermanentError, StorageError
from airecruiter.ports.mail import check_header_text
from airecruiter.ports.storage import ObjectNotFoundError

if TYPE_CHECKING:
    from types_aiobotocore_s3 import S3Client

SERVER_SIDE_ENCRYPTION: Final = "AES256"
_NOT_FOUND = frozenset({"NoSuchKey", "404", "NotFound"})
_ACCESS_DENIED = frozenset({"AccessDenied", "403", "Forbidden", "AllAccessDisabled"})
_BAD_CREDENTIALS = frozenset({"InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken"})
_TRANSIENT = frozenset(
    {
        "SlowDown",
        "RequestTimeout",
        "RequestTimeTooSkewed",
        "ServiceUnavailable",
        "InternalError",
        "Throttling",
        "ThrottlingException",
        "503",
        "500",
    }
)


def _client_error(exc: boto.ClientError, action: str, key: str, bucket: str) -> Exception:
    """Our error for an S3 error response."""
    code = str(exc.response.get("Error", {}).get("Code", ""))
    status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
    if code in _NOT_FOUND:
        return ObjectNotFoundError(key)
    if code == "NoSuchBucket":
        return ConfigurationError(f"The S3 bucket {bucket!r} does not exist; check S3_BUCKET and AWS_REGION.")
    if code in _BAD_CREDENTIALS:
        return ConfigurationError(f"S3 did not accept the AWS credentials ({code}); check the access key and secret.")
    if code in _ACCESS_DENIED:
        return PermanentError(
            f"S3 refused to {action} {key!r} in bucket {bucket!r} (access denied); "
            "grant the service's AWS identity s3:GetObject, s3:PutObject, s3:DeleteObject, s3:DeleteObjectVersion "
            "and s3:ListBucketVersions on the bucket."
        )
    if code in _TRANSIENT or status >= 500:
        return StorageError(f"S3 could not {action} {key!r} just now ({code or status}); it will be retried.")
    return PermanentError(f"S3 refused to {action} {key!r} in bucket {bucket!r} ({code or status}).")


@contextmanager
def _translated(action: str, key: str, bucket: str) -> Iterator[None]:
    """Turn the SDK's errors into ours: the one place S3 failures are classified."""
    try:
        yield
    except boto.ClientError as exc:
        raise _client_error(exc, action, key, bucket) from exc
    except (boto.NoCredentialsError, boto.PartialCredentialsError) as exc:
        raise ConfigurationError("No usable AWS credentials were found for S3; configure them.") from exc
    except (boto.ConnectionError, boto.HTTPClientError) as exc:
        # Connection refused, DNS failure, connect/read timeouts, a dropped connection.
        raise StorageError(f"Could not reach S3 to {action} {key!r}: {exc}") from exc
    except (aiohttp.ClientError, TimeoutError, OSError) as exc:  # in case the transport's own errors leak
        raise StorageError(f"Could not reach S3 to {action} {key!r}: {exc}") from exc
    except boto.BotoCoreError as exc:
        raise StorageError(f"S3 failed to {action} {key!r}: {exc}") from exc


class S3Storage:
    """A `Storage` in one S3 bucket; call `aclose()` (or use `async with`) when done."""

    def __init__(
        self,
        *,
        bucket: str,
        region: str,
        endpoint_url: str | None = None,
        aws_access_key_id: str | None = None,
        aws_secret_access_key: str | None = None,
        aws_session_token: str | None = None,
        connect_timeout: float = 5.0,
        read_timeout: float = 60.0,
        max_attempts: int = 2,
    ) -> None:
        if not bucket:
            raise ConfigurationError("S3_BUCKET is empty; name the bucket that keeps résumés and reports.")
        self.bucket = bucket
        # The queue owns retries; botocore's own are kept to a quick second try for blips.
        self._config = AioConfig(
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            retries={"max_attempts": max_attempts, "mode": "standard"},
            # S3-compatible endpoints (moto, MinIO) do not route virtual-hosted bucket names.
            s3={"addressing_style": "path" if endpoint_url else "auto"},
        )
        self._client: LazyAwsClient[S3Client] = LazyAwsClient(
            "s3",
            self._config,
            region_name=region,
            endpoint_url=endpoint_url,
            aws_access_key_id=aws_access_key_id,
            aws_secret_access_key=aws_secret_access_key,
            aws_session_token=aws_session_token,
        )

    async def _s3(self) -> S3Client:
        return await self._client.get()

    async def aclose(self) -> None:
        """Close the client and its connection pool."""
        await self._client.aclose()

    async def __aenter__(self) -> Self:
        await self._s3()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def put(self, key: str, data: bytes, *, content_type: str) -> None:
        """Store `data` under `key`, encrypted at rest (SSE-S3) with its content type."""
        check_key(key)
        check_header_text(content_type, "content type")
        client = await self._s3()
        with _translated("store", key, self.bucket):
            await client.put_object(
                Bucket=self.bucket,
                Key=key,
                Body=bytes(data),
                ContentType=content_type,
                ServerSideEncryption=SERVER_SIDE_ENCRYPTION,
            )

    async def get(self, key: str) -> bytes:
        """The object's bytes; ObjectNotFoundError when there is none."""
        check_key(key)
        client = await self._s3()
        with _translated("read", key, self.bucket):
            response = await client.get_object(Bucket=self.bucket, Key=key)
            async with response["Body"] as body:
                return await body.read()

    async def exists(self, key: str) -> bool:
        """Whether the bucket holds an object under `key`."""
        check_key(key)
        client = await self._s3()
        try:
            with _translated("look up", key, self.bucket):
                await client.head_object(Bucket=self.bucket, Key=key)
        except ObjectNotFoundError:
            return False
        return True

    async def delete(self, key: str) -> None:
        """Remove the object and, in a versioned bucket, every version and delete marker of it."""
        check_key(key)
        client = await self._s3()
        with _translated("delete", key, self.bucket):
            versions = await self._versions_of(client, key)
            # An unversioned bucket lists its objects with the version "null"; nothing listed, nothing
            # to delete (a plain delete would leave a needless marker in a versioned bucket).
            for version_id in versions:
                await client.delete_object(Bucket=self.bucket, Key=key, VersionId=version_id)

    async def delete_folder(self, folder: str) -> int:
        """Remove every version and delete marker of every key under `folder`; how many keys went."""
        prefix = check_key(folder.rstrip("/")) + "/"
        client = await self._s3()
        keys: set[str] = set()
        with _translated("delete", prefix, self.bucket):
            paginator = client.get_paginator("list_object_versions")
            async for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
                for entry in [*page.get("Versions", []), *page.get("DeleteMarkers", [])]:
                    keys.add(entry["Key"])
                    version = str(entry.get("VersionId") or "null")
                    await client.delete_object(Bucket=self.bucket, Key=entry["Key"], VersionId=version)
        return len(keys)

    async def _versions_of(self, client: S3Client, key: str) -> list[str]:
        """The version ids of the objects and delete markers stored under exactly `key`."""
        found: list[str] = []
        paginator = client.get_paginator("list_object_versions")
        async for page in paginator.paginate(Bucket=self.bucket, Prefix=key):
            for entry in [*page.get("Versions", []), *page.get("DeleteMarkers", [])]:
                if entry.get("Key") == key:  # a prefix also matches longer keys; only this key's go
                    found.append(str(entry.get("VersionId") or "null"))
        return found
