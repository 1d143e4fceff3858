import { useEffect, useEffectEvent, useRef } from 'react';

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<DetectedBarcode[]>;
}
type BarcodeDetectorCtor = new (opts?: { formats?: string[] }) => BarcodeDetectorLike;

function detectorCtor(): BarcodeDetectorCtor | undefined {
  return typeof window !== 'undefined' ? (window as unknown as { BarcodeDetector?: BarcodeDetectorCtor }).BarcodeDetector : undefined;
}

/** True when this browser can scan QR codes from the camera (BarcodeDetector + getUserMedia). */
export function barcodeScanningSupported(): boolean {
  return Boolean(detectorCtor() && typeof navigator !== 'undefined' && navigator.mediaDevices?.getUserMedia);
}

/** Live camera view that reports every QR code it reads; stops the camera on unmount. */
export function CameraScanner({ onCode, onError }: { onCode: (code: string) => void; onError: (message: string) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  // The latest callbacks, without reopening the camera when the parent passes new ones.
  const reportCode = useEffectEvent((code: string) => onCode(code));
  const reportError = useEffectEvent((message: string) => onError(message));

  useEffect(() => {
    const Ctor = detectorCtor();
    if (!Ctor) return;
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setInterval> | undefined;
    let stopped = false;
    const detector = new Ctor({ formats: ['qr_code'] });
    (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
        if (stopped || !video.current) return;
        video.current.srcObject = stream;
        await video.current.play();
        timer = setInterval(async () => {
          if (!video.current || video.current.readyState < 2) return;
          try {
            const codes = await detector.detect(video.current);
            if (codes[0]?.rawValue) reportCode(codes[0].rawValue);
          } catch {
            // a frame that cannot be decoded; try the next one
          }
        }, 300);
      } catch {
        reportError('The camera could not be opened. Allow camera access, or type the code instead.');
      }
    })();
    return () => {
      stopped = true;
      clearInterval(timer);
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, []);

  return (
    <div className="mt-4 overflow-hidden rounded-lg bg-black">
      <video ref={video} muted playsInline className="aspect-video w-full object-cover" aria-label="Camera view for scanning ticket QR codes" />
    </div>
  );
}
