//! A container's root as the runtime makes it: an overlay of the host's root on a tmpfs of its
//! own, the image's programs on `PATH`, the folders and files of its layers, the pod's volumes
//! at their mount paths, and read-only when the manifest says so.

use std::fs;
use std::path::{Path, PathBuf};

use k8s_openapi::api::core::v1::Container;

use super::image::Image;

/// The shell steps that make the container's root as the runtime would: an overlay of the
/// host's, the image's programs, files and folders, then the volumes at their mount paths
/// (`volume` gives a volume's folder of the host), in `base`'s `root`.
pub fn root_script(
    container: &Container,
    image: &Image,
    base: &Path,
    volume: impl Fn(&str) -> PathBuf,
) -> String {
    let (root, scratch, etc) = (base.join("root"), base.join("scratch"), base.join("etc"));
    let bin = image.bin_dir();
    let read_only_root = container
        .security_context
        .as_ref()
        .and_then(|s| s.read_only_root_filesystem)
        .unwrap_or(false);

    let inside = |path: &str| target_inside(&root, path);
    let mut script = String::from("set -eu\n");
    script += &format!("mount -t tmpfs podsmith {}\n", quoted(&scratch));
    script += &format!("mkdir {0}/upper {0}/work\n", quoted(&scratch));
    script += &format!(
        "mount -t overlay overlay -o lowerdir=/,upperdir={0}/upper,workdir={0}/work {1}\n",
        quoted(&scratch),
        quoted(&root)
    );
    script += &format!("mount -t proc proc {}/proc\n", quoted(&root));
    script += &format!("mount --rbind /dev {}/dev\n", quoted(&root));
    script += &format!("mkdir -p {}{}\n", quoted(&root), super::image::PATH);
    // Read-only: the folder is shared by every container of the image.
    script += &format!(
        "mount --bind {0} {1}{2}; mount -o remount,bind,ro {1}{2}\n",
        quoted(&bin),
        quoted(&root),
        super::image::PATH
    );
    for file in ["passwd", "group", "resolv.conf"] {
        script += &format!(
            "rm -f {1}/etc/{2}; cp {0}/{2} {1}/etc/{2}\n",
            quoted(&etc),
            quoted(&root),
            file
        );
    }
    script += &image_layers_script(image, &root, &etc);
    // Like the container runtime, mount a folder before the folders inside it, so a
    // volume below another's mount path stays visible whatever the manifest's order.
    let mut mounts: Vec<_> = container.volume_mounts.iter().flatten().collect();
    mounts.sort_by_key(|m| Path::new(&m.mount_path).components().count());
    for mount in mounts {
        let mut source = volume(&mount.name);
        if let Some(sub) = mount.sub_path.as_deref().filter(|s| !s.is_empty()) {
            source = source.join(sub);
        }
        script += &inside(&mount.mount_path);
        let target = "\"$target\"";
        if source.is_dir() {
            script += &format!("mkdir -p {target}\n");
        } else {
            script += &format!("mkdir -p \"$(dirname {target})\"; touch {target}\n");
        }
        script += &format!("mount --bind {} {target}\n", quoted(&source));
        if mount.read_only == Some(true) {
            script += &format!("mount -o remount,bind,ro {target}\n");
        }
    }
    if read_only_root {
        script += &format!("mount -o remount,ro {}\n", quoted(&root));
    }
    script
}

/// A path of the host, quoted for the shell.
fn quoted(path: &Path) -> String {
    shell_words::quote(&path.to_string_lossy()).into_owned()
}

/// The shell step that sets `$target` to `path` in the container's `root`, symlinks
/// (`/var/run` → `/run`) followed inside that root, never the host's, as the runtime does.
fn target_inside(root: &Path, path: &str) -> String {
    format!(
        "target={}\"$(chroot {} realpath -m {})\"\n",
        quoted(root),
        quoted(root),
        shell_words::quote(path)
    )
}

/// The shell steps that make the folders and files of the image's layers in the container's
/// `root`; a text file is staged in `etc` first.
fn image_layers_script(image: &Image, root: &Path, etc: &Path) -> String {
    let inside = |path: &str| target_inside(root, path);
    let mut script = String::new();
    for super::image::Folder(path, uid, gid, mode) in image.folders {
        script += &inside(path);
        script += &format!(
            "mkdir -p \"$target\"; chown {uid}:{gid} \"$target\"; chmod {mode:o} \"$target\"\n"
        );
    }
    for (at, super::image::File(path, owner, content)) in image.files.iter().enumerate() {
        script += &inside(path);
        script += "mkdir -p \"$(dirname \"$target\")\"; rm -f \"$target\"\n";
        match content {
            super::image::FileContent::Text(text) => {
                let staged = etc.join(format!("file-{at}"));
                fs::write(&staged, text).expect("an image file");
                script += &format!(
                    "cp {} \"$target\"; chown {owner}:0 \"$target\"; chmod 644 \"$target\"\n",
                    quoted(&staged)
                );
            }
            super::image::FileContent::Link(to) => {
                script += &format!("ln -s {} \"$target\"\n", shell_words::quote(to));
            }
        }
    }
    script
}
