/** File upload with progress (XMLHttpRequest reports upload progress; fetch does not). */
import type { ImportReport } from './schema.gen';
import { ApiError, type FieldError, writeHeaders } from './http';

export interface UploadHandle {
  done: Promise<ImportReport>;
  abort: () => void;
}

/** POSTs the files as multipart `files`; onProgress gets 0..1 of the bytes sent. */
export function uploadFiles(projectId: number, files: File[],
  onProgress: (fraction: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const form = new FormData();
  files.forEach((f) => form.append('files', f, f.name));
  const done = new Promise<ImportReport>((resolve, reject) => {
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: { detail?: string; errors?: FieldError[] } & Partial<ImportReport> = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        body = {};
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(body as ImportReport);
      } else {
        reject(new ApiError(xhr.status, body.detail ?? xhr.statusText, body.errors ?? []));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, 'network error during upload'));
    xhr.onabort = () => reject(new ApiError(0, 'upload cancelled'));
  });
  xhr.open('POST', `/api/projects/${projectId}/imports`);
  const headers = writeHeaders(false);
  Object.entries(headers).forEach(([k, v]) => xhr.setRequestHeader(k, v));
  xhr.send(form);
  return { done, abort: () => xhr.abort() };
}
